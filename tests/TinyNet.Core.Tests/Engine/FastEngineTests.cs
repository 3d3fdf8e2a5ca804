namespace TinyNet.Tests;

/// <summary>The float32 engine against the double reference (<see cref="Backprop"/>).</summary>
public class FastEngineTests
{
    // Float tolerance: every gradient entry is a sum of at most a few hundred products of values of order 1, each
    // rounded to float (unit roundoff 6e-8); 1e-4 of the largest gradient entry is ~1000 ulps of slack for the
    // accumulation, far below what a wrong formula produces (an error of order the gradient itself).
    private const double Tolerance = 1e-4;

    public static TheoryData<Head, int, int, int, int, double, bool> Shapes => new()
    {
        { Head.Regression, 1, 1, 1, 1, 0.0, false },
        { Head.BinaryClassification, 1, 1, 3, 1, 0.0, false },
        { Head.Regression, 3, 5, 7, 1, 0.0, true },
        { Head.BinaryClassification, 10, 8, 33, 2, 0.01, true },
        { Head.Regression, 17, 70, 64, 2, 0.1, false },
        { Head.BinaryClassification, 100, 64, 256, 2, 0.0, false },
        { Head.Regression, 5, 130, 96, 2, 0.0, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradient_matches_the_double_reference(Head head, int d, int h, int n, int threads, double l2, bool weights)
    {
        DataSet data = TestData.Teacher(n, d, head, seed: d * 31 + h, weights);
        Network network = Network.CreateRandom(d, h, head, seed: 7);
        var options = new TrainerOptions { BatchSize = n, Threads = threads, L2Regularization = l2 };
        using var engine = new FastEngine(network, data, options);
        var rounded = network.Clone();
        engine.CopyTo(rounded);                    // the fast engine starts from float-rounded parameters: compare there
        int[] rows = Enumerable.Range(0, n).Reverse().ToArray();
        double fastLoss = engine.ComputeGradient(rows);
        Gradients fast = engine.ExportGradient();

        var reference = new Gradients(d, h);
        double[] x = TestData.ToDouble(data.Features.Span);
        double[] y = TestData.ToDouble(data.Labels.Span);
        double[] s = data.Weights is { } w ? TestData.ToDouble(w.Span) : [];
        Backprop.Objective(rounded, x, y, s, l2, reference, out double referenceLoss);

        Assert.Equal(referenceLoss, fastLoss, referenceLoss * 1e-5 + 1e-9);
        AssertClose(reference.W1, fast.W1, "w1");
        AssertClose(reference.B1, fast.B1, "b1");
        AssertClose(reference.W2, fast.W2, "w2");
        AssertClose([reference.B2[0]], [fast.B2[0]], "b2");
    }

    /// <summary>
    /// The fast engine's training loss of a confidently right softmax row (z2 = [40, 0, 0]) keeps its relative digits, as
    /// the reference does: log Σ e^(z2 − m) − (z2_y − m) in float gave 0, the loss of a perfect model.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_softmax_training_loss_of_a_confident_row_keeps_its_relative_digits(int threads)
    {
        var network = new Network(1, 1, Head.MulticlassClassification, classCount: 3);
        network.B2[0] = 40;                                           // w2 = 0: z2 = [40, 0, 0] on every row
        DataSet data = DataSet.FromRowMajor([0.5f, -0.5f, 1f, 2f], 1, [0f, 0f, 0f, 0f]);
        var options = new TrainerOptions { Head = Head.MulticlassClassification, BatchSize = 4, Threads = threads };
        using var engine = new FastEngine(network, data, options);
        double loss = engine.ComputeGradient([0, 1, 2, 3]) / 4;
        const double Exact = 8.49670851058317774e-18;                 // log(1 + 2 e^−40), to 60 digits
        Assert.True(Math.Abs(loss - Exact) <= 1e-6 * Exact, $"mean ℓ = {loss:R}, exact {Exact:R}");
        Assert.True(Math.Abs(engine.LossSum(data) / 4 - Exact) <= 1e-6 * Exact, $"LossSum / N = {engine.LossSum(data) / 4:R}");

        // Confidently wrong rows (y = 1, not the largest logit): ℓ = (m − z2_y) + log1p(…) = 40 + 8.5e-18.
        DataSet wrong = DataSet.FromRowMajor([0.5f, -0.5f, 1f, 2f], 1, [1f, 1f, 1f, 1f]);
        using var wrongEngine = new FastEngine(network, wrong, options);
        Assert.Equal(40.0, wrongEngine.ComputeGradient([0, 1, 2, 3]) / 4, 1e-9);
    }

    [Fact]
    public void Padded_hidden_units_stay_inert_through_training()
    {
        // H = 3 is padded to 16 units internally; if padding leaked into w2 the fast model would drift from the reference.
        DataSet data = TestData.Teacher(200, 4, Head.Regression, seed: 3);
        var options = new TrainerOptions { HiddenUnits = 3, Epochs = 30, BatchSize = 16, LearningRate = 0.05, Optimizer = Optimizer.Adam };
        Network fast = Trainer.Train(data, options).Network;
        Network reference = Trainer.Train(data, CloneWith(options, Engine.Reference)).Network;
        AssertClose(reference.W2, fast.W2, "w2", 2e-3);
        AssertClose(reference.W1, fast.W1, "w1", 2e-3);
    }

    [Theory]
    [InlineData(Optimizer.Sgd, Head.Regression)]
    [InlineData(Optimizer.Momentum, Head.BinaryClassification)]
    [InlineData(Optimizer.Adam, Head.Regression)]
    [InlineData(Optimizer.Adam, Head.BinaryClassification)]
    public void Trajectory_matches_the_double_reference(Optimizer optimizer, Head head)
    {
        // Float rounding compounds over steps; over 10 epochs of 25 steps the relative drift stays below 1e-3.
        DataSet data = TestData.Teacher(400, 6, head, seed: 11);
        DataSet validation = TestData.Teacher(100, 6, head, seed: 12);
        var options = new TrainerOptions
        {
            Head = head, HiddenUnits = 20, Epochs = 10, BatchSize = 16, LearningRate = optimizer == Optimizer.Sgd ? 0.05 : 0.01,
            Optimizer = optimizer, L2Regularization = 1e-3, Threads = 2, EarlyStoppingPatience = 0,
        };
        TrainingResult fast = Trainer.Train(data, options, validation);
        TrainingResult reference = Trainer.Train(data, CloneWith(options, Engine.Reference), validation);
        for (int e = 0; e < options.Epochs; e++)
        {
            Assert.Equal(reference.History.TrainingLoss[e], fast.History.TrainingLoss[e], reference.History.TrainingLoss[e] * 1e-3);
            Assert.Equal(reference.History.ValidationLoss![e], fast.History.ValidationLoss![e], reference.History.ValidationLoss[e] * 1e-3);
        }

        AssertClose(reference.Network.W1, fast.Network.W1, "w1", 1e-3);
        AssertClose(reference.Network.W2, fast.Network.W2, "w2", 1e-3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Same_seed_data_and_threads_give_a_bit_identical_model(int threads)
    {
        DataSet data = TestData.Teacher(3000, 20, Head.BinaryClassification, seed: 5);
        var options = new TrainerOptions { Head = Head.BinaryClassification, HiddenUnits = 32, Epochs = 3, BatchSize = 512, Threads = threads, Seed = 9 };
        Network first = Trainer.Train(data, options).Network;
        Network second = Trainer.Train(data, options).Network;
        Assert.Equal(first.W1, second.W1);
        Assert.Equal(first.B1, second.B1);
        Assert.Equal(first.W2, second.W2);
        Assert.Equal(first.B2[0], second.B2[0]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(32, 1)]
    [InlineData(512, 2)]
    public void A_training_step_allocates_nothing(int batch, int threads)
    {
        DataSet data = TestData.Teacher(2048, 20, Head.BinaryClassification, seed: 8);
        var options = new TrainerOptions { Head = Head.BinaryClassification, HiddenUnits = 40, BatchSize = batch, Threads = threads, Optimizer = Optimizer.Adam };
        using var engine = new FastEngine(Network.CreateRandom(20, 40, Head.BinaryClassification, 1), data, options);
        int[] rows = [.. Enumerable.Range(0, 2048)];
        for (int i = 0; i < 20; i++)
        {
            engine.Step(rows.AsSpan(i * batch % 1024, batch), 0.01);   // warm up (JIT, first touches)
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            engine.Step(rows.AsSpan(i * batch % 1024, batch), 0.01);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static TrainerOptions CloneWith(TrainerOptions options, Engine engine)
    {
        TrainerOptions copy = options.Clone();
        copy.Engine = engine;
        return copy;
    }

    private static void AssertClose(double[] expected, double[] actual, string name, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(expected.Max(Math.Abs), 1e-3);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale,
                $"{name}[{i}]: reference {expected[i]:R}, fast {actual[i]:R}, allowed {tolerance * scale:E2}");
        }
    }
}

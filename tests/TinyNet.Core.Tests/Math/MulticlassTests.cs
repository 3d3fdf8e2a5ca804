namespace TinyNet.Tests;

/// <summary>
/// The softmax head in the Core: the network with K outputs, softmax and cross-entropy numerics, training,
/// the scorer at every width, the hold-out stratified by class, and the errors for bad classes and shapes.
/// </summary>
public class MulticlassTests
{
    public static TheoryData<string> Widths => [.. Kernels.All.Select(k => k.Width)];

    /// <summary>Three blobs in 2-D, classes 0, 1, 2, well separated.</summary>
    private static DataSet Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n * 2];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            int k = i % 3;
            y[i] = k;
            x[2 * i] = (float)(Math.Cos(2 * Math.PI * k / 3) * 2 + rng.NextDouble() - 0.5);
            x[2 * i + 1] = (float)(Math.Sin(2 * Math.PI * k / 3) * 2 + rng.NextDouble() - 0.5);
        }

        return DataSet.FromRowMajor(x, 2, y);
    }

    [Fact]
    public void Softmax_subtracts_the_max_so_huge_logits_give_probabilities_not_NaN()
    {
        var a = new double[3];
        Activations.Softmax([1000.0, 0.0, -1000.0], a);
        Assert.Equal([1.0, 0.0, 0.0], a);
        Activations.Softmax([0.0, Math.Log(3.0)], a.AsSpan(0, 2));
        Assert.Equal(0.25, a[0], 1e-15);
        Assert.Equal(0.75, a[1], 1e-15);
        Assert.Throws<ArgumentException>(() => Activations.Softmax([1.0, 2.0], new double[3]));
    }

    [Fact]
    public void Cross_entropy_is_the_log_softmax_finite_and_exact_for_saturated_logits()
    {
        Assert.Equal(1000.0, Losses.CrossEntropyFromLogits(0, [0.0, 1000.0]), 1e-12);       // never log 0 = ∞
        Assert.Equal(0.0, Losses.CrossEntropyFromLogits(1, [0.0, 1000.0]));
        Assert.Equal(Math.Log(3.0), Losses.CrossEntropyFromLogits(2, [0.5, 0.5, 0.5]), 1e-15);
        Assert.Equal(Math.Log(1 + Math.Exp(-2.0)), Losses.CrossEntropyFromLogits(1, [-1.0, 1.0]), 1e-15);
        Assert.Equal(800 + Math.Log(2), Losses.LogSumExp([800.0, 800.0]), 1e-12);             // e^800 overflows; this does not
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropyFromLogits(3, [0.0, 0.0, 0.0]));
        Assert.Throws<ArgumentException>(() => Losses.Loss(Head.MulticlassClassification, 1.0, 0.5));
    }

    /// <summary>M5: with two classes the cross-entropy at (z0, z1) is the binary log-loss at z = z1 − z0.</summary>
    [Theory]
    [InlineData(0.3, -1.2, 0)]
    [InlineData(0.3, -1.2, 1)]
    [InlineData(-30.0, 25.0, 0)]
    public void Two_class_cross_entropy_is_the_log_loss_of_the_logit_difference(double z0, double z1, int y) =>
        Assert.Equal(Losses.LogLossFromLogit(y, z1 - z0), Losses.CrossEntropyFromLogits(y, [z0, z1]), 1e-12);

    [Fact]
    public void A_network_has_K_outputs_for_multiclass_and_one_otherwise()
    {
        var network = new Network(4, 3, Head.MulticlassClassification, classCount: 5);
        Assert.Equal(5, network.OutputCount);
        Assert.Equal(15, network.W2.Length);
        Assert.Equal(5, network.B2.Length);
        Assert.Equal(1, new Network(4, 3, Head.BinaryClassification).OutputCount);
        Assert.Contains("K ≥ 2", Assert.Throws<ArgumentOutOfRangeException>(() => new Network(4, 3, Head.MulticlassClassification, classCount: 1)).Message);
        Assert.Contains("pass the number of classes", Assert.Throws<ArgumentOutOfRangeException>(() => new Network(4, 3, Head.MulticlassClassification)).Message);
        Assert.Contains("classCount must be 1", Assert.Throws<ArgumentOutOfRangeException>(() => new Network(4, 3, Head.Regression, classCount: 3)).Message);
        Assert.Throws<InvalidOperationException>(() => network.Predict(new float[4]));
        Assert.Throws<InvalidOperationException>(() => new Network(4, 3, Head.Regression).PredictClass(new float[4]));
    }

    [Fact]
    public void Glorot_initialisation_of_W2_uses_fan_out_K_and_the_seed()
    {
        Network a = Network.CreateRandom(6, 8, Head.MulticlassClassification, classCount: 10, seed: 4);
        Network b = Network.CreateRandom(6, 8, Head.MulticlassClassification, classCount: 10, seed: 4);
        Assert.Equal(a.W2, b.W2);
        double r2 = Math.Sqrt(6.0 / (8 + 10));
        Assert.All(a.W2, w => Assert.InRange(Math.Abs(w), 0, r2));
        Assert.True(a.W2.Max(Math.Abs) > 0.8 * r2);
        Assert.All(a.B2, b2 => Assert.Equal(0.0, b2));
        // The first layer is drawn first, as for one output: the same w1 as a binary network of the same seed.
        Assert.Equal(Network.CreateRandom(6, 8, Head.BinaryClassification, seed: 4).W1, a.W1);
    }

    [Theory]
    [InlineData(Engine.Reference)]
    [InlineData(Engine.Fast)]
    public void Trains_three_blobs_to_a_low_loss_and_predicts_their_classes(Engine engine)
    {
        DataSet data = Blobs(150, 1);
        var options = new TrainerOptions { Head = Head.MulticlassClassification, HiddenUnits = 8, Epochs = 60, LearningRate = 0.02, Seed = 1, Engine = engine };
        TrainingResult result = Trainer.Train(data, options);
        Assert.Equal(3, result.Network.OutputCount);
        Assert.True(result.History.TrainingLoss[^1] < 0.1, $"final loss {result.History.TrainingLoss[^1]}");
        Assert.True(result.History.TrainingLoss[0] > result.History.TrainingLoss[^1]);
        int correct = Enumerable.Range(0, data.RowCount).Count(i => result.Network.PredictClass(data.Row(i)) == (int)data.Labels.Span[i]);
        Assert.True(correct >= 147, $"{correct} of 150");
        var p = new double[3];
        result.Network.PredictProbabilities(data.Row(0), p);
        Assert.Equal(1.0, p.Sum(), 1e-12);
    }

    [Fact]
    public void A_NaN_row_has_no_predicted_class_rather_than_class_0()
    {
        Network network = Network.CreateRandom(2, 3, Head.MulticlassClassification, classCount: 3, seed: 1);
        Assert.Equal(-1, network.PredictClass([float.NaN, 1f]));
        Assert.InRange(network.PredictClass([0.5f, 1f]), 0, 2);
        network.W2.AsSpan().Clear();
        network.B2.AsSpan().Clear();
        Assert.Equal(0, network.PredictClass([0.5f, 1f]));   // a tie: the first class, as before
    }

    [Fact]
    public void K_comes_from_the_largest_label_or_from_the_starting_network()
    {
        DataSet data = Blobs(30, 2);
        var options = new TrainerOptions { Head = Head.MulticlassClassification, HiddenUnits = 4, Epochs = 2, Seed = 1 };
        Assert.Equal(3, Trainer.Train(data, options).Network.OutputCount);
        Network wider = Network.CreateRandom(2, 4, Head.MulticlassClassification, classCount: 5, seed: 1);
        Assert.Equal(5, Trainer.Train(wider, data, options).Network.OutputCount);
    }

    [Theory]
    [InlineData(1.5f, "label of row 4 is 1.5")]
    [InlineData(-1f, "label of row 4 is -1")]
    public void Labels_that_are_not_classes_are_refused_naming_the_row(float bad, string message)
    {
        float[] y = [0, 1, 2, 1, bad, 0];
        DataSet data = DataSet.FromRowMajor(new float[12], 2, y);
        var options = new TrainerOptions { Head = Head.MulticlassClassification, Epochs = 1 };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Trainer.Train(data, options)).Message);
        Network three = Network.CreateRandom(2, 3, Head.MulticlassClassification, classCount: 3, seed: 1);
        y[4] = 3;
        Assert.Contains("0 … 2 (K = 3)", Assert.Throws<ArgumentException>(() => Trainer.Train(three, DataSet.FromRowMajor(new float[12], 2, y), options)).Message);
        Assert.Contains("only one class", Assert.Throws<ArgumentException>(() => Trainer.Train(DataSet.FromRowMajor(new float[4], 2, [0, 0]), options)).Message);
    }

    [Fact]
    public void The_hold_out_is_stratified_by_class()
    {
        DataSet data = Blobs(300, 3);
        var split = data.SplitHoldOut(0.1, classCount: 3, seed: 5)!.Value;
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(10, split.HoldOut.Labels.ToArray().Count(y => y == k));
        }

        Assert.Equal(270, split.Fit.RowCount);
    }

    [Fact]
    public void The_constant_prediction_baseline_is_the_entropy_of_the_class_frequencies()
    {
        DataSet data = DataSet.FromRowMajor(new float[4], 1, [0, 1, 2, 2]);
        double expected = -(0.25 * Math.Log(0.25) * 2 + 0.5 * Math.Log(0.5));
        Assert.Equal(expected, Trainer.ConstantPredictionLoss(data, Head.MulticlassClassification), 1e-15);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_scorer_gives_the_reference_probabilities_at_every_width(string width)
    {
        Kernels kernels = Kernels.All.Single(k => k.Width == width);
        foreach ((int d, int h, int k) in new[] { (1, 1, 2), (7, 5, 3), (30, 40, 10), (13, 17, 26) })
        {
            DataSet data = TestData.Teacher(101, d, Head.Regression, seed: d + h + k);
            Network network = Network.CreateRandom(d, h, Head.MulticlassClassification, classCount: k, seed: 3);
            network.B2[k - 1] = 0.7;
            var scorer = new Scorer(network, kernels);
            Assert.Equal(k, scorer.OutputCount);
            var batch = new float[data.RowCount * k];
            scorer.Predict(data.Features.Span, batch);
            var one = new float[k];
            var reference = new double[k];
            for (int i = 0; i < data.RowCount; i++)
            {
                network.PredictProbabilities(data.Row(i), reference);
                scorer.Probabilities(data.Row(i), one);
                for (int c = 0; c < k; c++)
                {
                    Assert.True(Math.Abs(reference[c] - one[c]) <= 2e-6, $"{width} D={d} H={h} K={k} row {i} class {c}: {one[c]:R} vs {reference[c]:R}");
                    Assert.True(Math.Abs(reference[c] - batch[i * k + c]) <= 2e-6, $"{width} batched row {i} class {c}");
                }
            }

            Assert.Throws<InvalidOperationException>(() => scorer.Logit(data.Row(0)));
            Assert.Throws<ArgumentException>(() => scorer.Probabilities(data.Row(0), new float[k + 1]));
        }
    }

    [Fact]
    public void A_binary_scorer_refuses_probabilities_and_names_the_head()
    {
        Scorer scorer = Network.CreateRandom(2, 3, Head.BinaryClassification, seed: 1).CreateScorer();
        Assert.Contains("use Predict", Assert.Throws<ArgumentException>(() => scorer.Probabilities(new float[2], new float[2])).Message);
    }
}

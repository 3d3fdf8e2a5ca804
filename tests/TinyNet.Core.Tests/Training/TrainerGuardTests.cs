namespace TinyNet.Tests;

/// <summary>
/// In TinyNet.Core: the divergence rule (TrainingDivergedException), sizes that cannot be allocated, and the
/// thread clamp. Each test failed before its fix.
/// </summary>
public class TrainerGuardTests
{
    public static TheoryData<Head, Optimizer, Engine, double> RunawayLearningRates()
    {
        var data = new TheoryData<Head, Optimizer, Engine, double>();
        foreach (Engine engine in new[] { Engine.Fast, Engine.Reference })
        {
            foreach (Head head in new[] { Head.BinaryClassification, Head.Regression })
            {
                data.Add(head, Optimizer.Adam, engine, 1000);
                data.Add(head, Optimizer.Adam, engine, 1e6);
                data.Add(head, Optimizer.Sgd, engine, 1e3);
                data.Add(head, Optimizer.Momentum, engine, 1e3);
            }
        }

        return data;
    }

    /// <summary>
    /// Adam at lr = 1000 used to return a binary model with training loss 159 (chance is 0.69) and no error. Now every
    /// head, optimiser and engine stops with the epoch, the loss and a learning rate to try.
    /// </summary>
    [Theory]
    [MemberData(nameof(RunawayLearningRates))]
    public void A_runaway_learning_rate_is_refused_not_returned(Head head, Optimizer optimizer, Engine engine, double lr)
    {
        DataSet data = TestData.Teacher(200, 4, head, seed: 3);
        var options = new TrainerOptions { Head = head, Optimizer = optimizer, Engine = engine, LearningRate = lr, Epochs = 30, BatchSize = 16 };
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(data, options));
        Assert.InRange(e.Epoch, 1, 30);
        Assert.Equal(lr, e.LearningRate);
        Assert.Equal(lr / 10, e.SuggestedLearningRate);
        Assert.Contains($"epoch {e.Epoch}", e.Message);
        Assert.Contains((lr / 10).ToString("G3"), e.Message);
        if (double.IsFinite(e.Loss))
        {
            // The rule fired on a finite loss: it names the loss and the baseline it was compared with.
            Assert.True(e.Loss > Trainer.DivergenceFactor * e.BaselineLoss, $"loss {e.Loss}, baseline {e.BaselineLoss}");
            Assert.Contains(e.Loss.ToString("G4"), e.Message);
        }
    }

    [Fact]
    public void The_rule_fires_on_a_finite_loss_for_Adam_at_lr_1000()
    {
        // The case of the issue: a finite but useless model, not a NaN.
        DataSet data = TestData.Teacher(200, 4, Head.BinaryClassification, seed: 3);
        var options = new TrainerOptions { Head = Head.BinaryClassification, LearningRate = 1000, Epochs = 30 };
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(data, options));
        Assert.True(double.IsFinite(e.Loss));
        Assert.InRange(e.BaselineLoss, 0.3, 2.0);   // log-loss of the starting network / the constant prediction
    }

    [Fact]
    public void The_reference_engine_with_SGD_at_1e30_is_refused()
    {
        // It used to return a model whose training loss had reached 1.7e304.
        DataSet data = TestData.Teacher(100, 3, Head.Regression, seed: 5);
        var options = new TrainerOptions { Engine = Engine.Reference, Optimizer = Optimizer.Sgd, LearningRate = 1e30, Epochs = 5 };
        Assert.Throws<TrainingDivergedException>(() => Trainer.Train(data, options));
    }

    [Theory]
    [InlineData(Head.BinaryClassification, Optimizer.Adam)]
    [InlineData(Head.Regression, Optimizer.Sgd)]
    [InlineData(Head.Regression, Optimizer.Momentum)]
    public void Ordinary_training_never_trips_the_rule(Head head, Optimizer optimizer)
    {
        DataSet data = TestData.Teacher(300, 4, head, seed: 8);
        var options = new TrainerOptions { Head = head, Optimizer = optimizer, LearningRate = optimizer == Optimizer.Adam ? 0.01 : 0.05, Epochs = 40 };
        TrainingResult result = Trainer.Train(data, options);
        Assert.True(result.History.TrainingLoss[^1] < result.History.TrainingLoss[0]);
    }

    [Theory]
    [InlineData(Head.BinaryClassification, 0.5, 0.6931471805599453)]    // entropy of p = ½: log 2
    [InlineData(Head.BinaryClassification, 0.25, 0.5623351446188083)]   // −(¼ log ¼ + ¾ log ¾)
    [InlineData(Head.BinaryClassification, 0.0, 0.0)]                   // one class only: 0, not 0 · log 0 = NaN
    [InlineData(Head.BinaryClassification, 1.0, 0.0)]
    public void The_constant_prediction_loss_of_binary_labels_is_their_entropy(Head head, double positiveRate, double expected)
    {
        int positives = (int)(8 * positiveRate);
        float[] y = [.. Enumerable.Range(0, 8).Select(i => i < positives ? 1f : 0f)];
        Assert.Equal(expected, Trainer.ConstantPredictionLoss(DataSet.FromRowMajor(new float[8], 1, y), head), 1e-15);
    }

    [Fact]
    public void The_constant_prediction_loss_of_regression_is_half_the_weighted_variance()
    {
        // Weighted mean of 1, 3 with weights 1, 3 is 2.5; variance (1·2.25 + 3·0.25) / 4 = 0.75; half of it 0.375.
        DataSet data = DataSet.FromRowMajor([0, 0], 1, [1, 3], [1, 3]);
        Assert.Equal(0.375, Trainer.ConstantPredictionLoss(data, Head.Regression), 1e-15);
    }

    [Fact]
    public void A_network_too_big_for_an_array_is_refused_with_its_size()
    {
        // D·H = 2³² used to wrap to 0: W1.Length == 0 and a later ArgumentOutOfRangeException.
        var e = Assert.Throws<ArgumentException>(() => new Network(65536, 65536, Head.Regression));
        Assert.Equal("hiddenCount", e.ParamName);
        Assert.Contains("4294967296 elements", e.Message);
        Assert.Contains("GB", e.Message);
    }

    [Fact]
    public void A_hidden_layer_too_big_for_memory_is_refused_before_anything_is_allocated()
    {
        // H = 10⁸ with D = 6 used to start allocating gigabytes; with D = 30 it threw OverflowException.
        DataSet data = DataSet.FromRowMajor(new float[12], 6, [0, 1]);
        // D = 6 is refused for memory (TinyNet's estimate: about 48 GB to train with 2 threads); on a machine with that much
        // memory it would be accepted, so that case runs only where it cannot fit. D = 30 (3·10⁹ weights) exceeds a .NET
        // array anywhere.
        int[] inputs = Sizes.AvailableBytes < 40_000_000_000 ? [6, 30] : [30];
        foreach (int d in inputs)
        {
            DataSet wide = d == 6 ? data : DataSet.FromRowMajor(new float[60], 30, [0, 1]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<ArgumentException>(() => Trainer.Train(wide, new TrainerOptions { HiddenUnits = 100_000_000 }));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "refused only after allocating");
            Assert.Equal("HiddenUnits", e.ParamName);
            Assert.Contains("H = 100000000", e.Message);
            Assert.Matches(@"(would take about [\d.]+ GB of memory; this process can use|elements)", e.Message);
        }
    }

    [Fact]
    public void A_row_count_whose_size_overflows_is_refused()
    {
        // 4 labels × (2³⁰ + 1) columns wrapped to 4 and was accepted; training then threw IndexOutOfRangeException.
        var e = Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor(new float[4], (1 << 30) + 1, new float[4]));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("4294967300", e.Message);
    }

    [Fact]
    public void More_threads_than_cores_are_clamped_to_the_cores()
    {
        // NumberOfThreads = 1000 used to start 999 OS threads.
        DataSet data = TestData.Teacher(4096, 4, Head.Regression, seed: 1);
        using var engine = new FastEngine(Network.CreateRandom(4, 8, Head.Regression, 1), data, new TrainerOptions { Threads = 1000, BatchSize = 4096 });
        Assert.Equal(Environment.ProcessorCount, engine.ThreadCount);
        Assert.Equal(Environment.ProcessorCount, FastEngine.ThreadsFor(1000, 4096));
    }

    [Fact]
    public void Threads_0_starts_one_per_core_not_a_hard_2()
    {
        // A 16-core server got 2 threads. On this 2-core machine the old rule min(cores, 2) gave the same answer,
        // so the rule is also checked for 16 processors, where it would have given 2.
        Assert.Equal(Environment.ProcessorCount, FastEngine.ThreadsFor(0, 4096));
        Assert.Equal(Math.Min(Environment.ProcessorCount, 3), FastEngine.ThreadsFor(0, 3));   // never more than the batch's rows
        Assert.Equal(16, FastEngine.ThreadsFor(0, 4096, processors: 16));
        Assert.Equal(16, FastEngine.ThreadsFor(1000, 4096, processors: 16));
        Assert.Equal(3, FastEngine.ThreadsFor(0, 3, processors: 16));
    }
}

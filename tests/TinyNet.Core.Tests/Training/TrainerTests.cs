namespace TinyNet.Tests;

public class TrainerTests
{
    [Theory]
    [InlineData(Engine.Fast)]
    [InlineData(Engine.Reference)]
    public void Binary_labels_outside_0_and_1_are_rejected_with_the_row(Engine engine)
    {
        DataSet data = DataSet.FromRowMajor([1f, 2f, 3f], 1, [0f, 1f, 2f]);
        var options = new TrainerOptions { Head = Head.BinaryClassification, Engine = engine };
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(data, options));
        Assert.Equal("train", e.ParamName);
        Assert.Contains("label of row 2 is 2", e.Message);
        Assert.Contains("0 or 1", e.Message);
    }

    [Fact]
    public void A_validation_set_with_other_columns_is_rejected()
    {
        DataSet train = DataSet.FromRowMajor([1f, 2f, 3f, 4f], 2, [0f, 1f]);
        DataSet validation = DataSet.FromRowMajor([1f, 2f, 3f], 3, [0f]);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(train, new TrainerOptions(), validation));
        Assert.Equal("validation", e.ParamName);
        Assert.Contains("3 feature columns but the network has D = 2", e.Message);
    }

    [Theory]
    [InlineData(Engine.Fast)]
    [InlineData(Engine.Reference)]
    public void Divergence_stops_training_with_the_epoch_and_advice(Engine engine)
    {
        // Labels of order 1e30 with per-sample SGD and lr = 1e4: each step multiplies the output error by about
        // lr · a1² ≈ 10³, so float overflows in the first epoch and double within a few.
        DataSet data = TestData.Teacher(64, 3, Head.Regression, seed: 1);
        float[] labels = data.Labels.ToArray().Select(y => y * 1e30f).ToArray();
        DataSet huge = DataSet.FromRowMajor(data.Features.ToArray(), 3, labels);
        var options = new TrainerOptions { Optimizer = Optimizer.Sgd, LearningRate = 1e4, Epochs = 20, BatchSize = 1, Engine = engine };
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(huge, options));
        Assert.InRange(e.Epoch, 1, 20);
        Assert.Contains($"epoch {e.Epoch}", e.Message);
        Assert.Contains("smaller LearningRate", e.Message);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        DataSet data = TestData.Teacher(200, 3, Head.Regression, seed: 1);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Epoch == 2)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Train(data, new TrainerOptions { Epochs = 50 }, progress: progress, cancellationToken: cts.Token));
        Assert.Equal(2, progress.Reports.Count);
    }

    [Fact]
    public void Progress_reports_every_epoch_with_the_history_values()
    {
        DataSet data = TestData.Teacher(200, 3, Head.Regression, seed: 1);
        DataSet validation = TestData.Teacher(50, 3, Head.Regression, seed: 2);
        var progress = new SynchronousProgress(_ => { });
        TrainingResult result = Trainer.Train(data, new TrainerOptions { Epochs = 4, EarlyStoppingPatience = 0 }, validation, progress);
        Assert.Equal([1, 2, 3, 4], progress.Reports.Select(p => p.Epoch));
        Assert.Equal(result.History.TrainingLoss, progress.Reports.Select(p => p.TrainingLoss));
        Assert.Equal(result.History.ValidationLoss!, progress.Reports.Select(p => p.ValidationLoss!.Value));
        Assert.True(progress.Reports[3].Elapsed >= progress.Reports[0].Elapsed);
        Assert.Equal(result.History.TrainingLoss.Select(l => 2 * l), result.History.TrainingMse!);
    }

    [Theory]
    [InlineData(Engine.Fast)]
    [InlineData(Engine.Reference)]
    public void Training_learns_a_teacher_network(Engine engine)
    {
        DataSet data = TestData.Teacher(500, 4, Head.Regression, seed: 3);
        var options = new TrainerOptions { HiddenUnits = 16, Epochs = 60, Engine = engine, LearningRate = 0.02 };
        TrainingHistory history = Trainer.Train(data, options).History;
        double variance = data.Labels.ToArray().Select(y => (double)y).ToArray() is var ys
            ? ys.Select(y => (y - ys.Average()) * (y - ys.Average())).Average() : 0;
        Assert.True(history.TrainingMse![^1] < 0.05 * variance, $"MSE {history.TrainingMse[^1]} vs label variance {variance}");
    }

    [Fact]
    public void Early_stopping_returns_the_best_epoch_and_stops_after_patience()
    {
        // A tiny, noisy training set and many hidden units: the validation loss turns up while the training loss falls.
        DataSet train = TestData.Teacher(30, 6, Head.Regression, seed: 4);
        DataSet validation = TestData.Teacher(200, 6, Head.Regression, seed: 5);
        var options = new TrainerOptions { HiddenUnits = 64, Epochs = 2000, BatchSize = 30, LearningRate = 0.05, EarlyStoppingPatience = 5, EarlyStoppingTolerance = 0 };
        TrainingResult result = Trainer.Train(train, options, validation);
        TrainingHistory h = result.History;
        Assert.True(h.StoppedEarly);
        Assert.Equal(h.BestEpoch + 5, h.EpochCount);
        double best = h.ValidationLoss!.Min();
        Assert.Equal(best, h.ValidationLoss![h.BestEpoch - 1]);
        // The returned parameters are those of the best epoch: their validation loss is the best one.
        double[] x = TestData.ToDouble(validation.Features.Span);
        double[] y = TestData.ToDouble(validation.Labels.Span);
        Assert.Equal(best, Backprop.Loss(result.Network, x, y, []) / validation.RowCount, 1e-5);
    }

    [Fact]
    public void Validation_fraction_holds_out_rows_for_early_stopping_when_no_validation_set_is_given()
    {
        DataSet train = TestData.Teacher(300, 6, Head.Regression, seed: 4);
        var options = new TrainerOptions { HiddenUnits = 64, Epochs = 2000, BatchSize = 30, LearningRate = 0.05, EarlyStoppingPatience = 5, EarlyStoppingTolerance = 0, ValidationFraction = 0.2 };
        TrainingHistory h = Trainer.Train(train, options).History;
        Assert.NotNull(h.ValidationLoss);
        Assert.True(h.StoppedEarly);
        Assert.Equal(h.BestEpoch + 5, h.EpochCount);

        // 0 holds nothing out: no validation loss, every epoch run.
        TrainingHistory none = Trainer.Train(train, new TrainerOptions { Epochs = 3, ValidationFraction = 0 }).History;
        Assert.Null(none.ValidationLoss);
        Assert.Equal(3, none.EpochCount);

        // A given validation set wins over the fraction.
        DataSet validation = TestData.Teacher(50, 6, Head.Regression, seed: 5);
        TrainingHistory given = Trainer.Train(train, new TrainerOptions { Epochs = 3, ValidationFraction = 0.5, EarlyStoppingPatience = 0 }, validation).History;
        TrainingHistory reference = Trainer.Train(train, new TrainerOptions { Epochs = 3, EarlyStoppingPatience = 0 }, validation).History;
        Assert.Equal(reference.TrainingLoss, given.TrainingLoss);
        Assert.Equal(reference.ValidationLoss, given.ValidationLoss);
    }

    [Fact]
    public void Validation_fraction_trains_on_the_other_rows_only_and_stratifies_binary_labels()
    {
        DataSet data = TestData.Teacher(200, 3, Head.BinaryClassification, seed: 7);
        var split = data.SplitHoldOut(0.1, classCount: 2, seed: 3)!.Value;
        Assert.Equal(data.RowCount, split.Fit.RowCount + split.HoldOut.RowCount);
        int positives = data.Labels.ToArray().Count(y => y == 1f), heldPositives = split.HoldOut.Labels.ToArray().Count(y => y == 1f);
        Assert.Equal((int)Math.Round(0.1 * positives), heldPositives);
        Assert.Equal((int)Math.Round(0.1 * (data.RowCount - positives)), split.HoldOut.RowCount - heldPositives);

        // Training with the fraction is training on the fit part with the hold-out part as the validation set.
        var options = new TrainerOptions { Head = Head.BinaryClassification, Epochs = 5, Seed = 3, ValidationFraction = 0.1 };
        TrainingResult auto = Trainer.Train(data, options);
        var byHand = options.Clone();
        byHand.ValidationFraction = 0;
        TrainingResult manual = Trainer.Train(split.Fit, byHand, split.HoldOut);
        Assert.Equal(manual.History.TrainingLoss, auto.History.TrainingLoss);
        Assert.Equal(manual.History.ValidationLoss, auto.History.ValidationLoss);
        Assert.Equal(manual.Network.W1, auto.Network.W1);
    }

    [Fact]
    public void Learning_rate_decay_follows_inverse_time()
    {
        // With SGD, decay d, and one full batch per epoch the step of epoch e is lr / (1 + d (e − 1)) times the gradient.
        DataSet data = DataSet.FromRowMajor([2f], 1, [1f]);
        var options = new TrainerOptions { Engine = Engine.Reference, Optimizer = Optimizer.Sgd, LearningRate = 0.1, LearningRateDecay = 1.0, Epochs = 2, BatchSize = 1 };
        Network start = NetworkTests.Scalar(Head.Regression);
        Network afterOne = Trainer.Train(start, data, new TrainerOptions { Engine = Engine.Reference, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Epochs = 1 }).Network;
        Network afterTwo = Trainer.Train(start, data, options).Network;
        var g = new Gradients(1, 1);
        Backprop.Compute(afterOne, [2.0], [1.0], [], g);
        Assert.Equal(afterOne.B2[0] - 0.05 * g.B2[0], afterTwo.B2[0], 1e-15);
    }

    [Fact]
    public void Scaling_every_sample_weight_changes_nothing()
    {
        // J divides by Σs, so weights express relative importance only; with the old 1/B rule,
        // weighting every sample by 3 was the same as tripling the learning rate.
        DataSet data = TestData.Teacher(40, 3, Head.BinaryClassification, seed: 6);
        DataSet tripled = DataSet.FromRowMajor(data.Features.ToArray(), 3, data.Labels.ToArray(), Enumerable.Repeat(3f, 40).ToArray());
        foreach (Engine engine in new[] { Engine.Reference, Engine.Fast })
        {
            var options = new TrainerOptions { Head = Head.BinaryClassification, Engine = engine, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Epochs = 3, BatchSize = 8 };
            TrainingResult weighted = Trainer.Train(tripled, options);
            TrainingResult plain = Trainer.Train(data, options);
            for (int i = 0; i < plain.Network.W1.Length; i++)
            {
                Assert.Equal(plain.Network.W1[i], weighted.Network.W1[i], 1e-6);
            }

            Assert.Equal(plain.History.TrainingLoss[^1], weighted.History.TrainingLoss[^1], 1e-6);   // a weighted mean, not 3×
        }
    }

    [Theory]
    [InlineData(Engine.Reference)]
    [InlineData(Engine.Fast)]
    public void Zero_weight_rows_neither_dilute_a_batch_nor_count_in_the_loss(Engine engine)
    {
        // Full batch: the 40 rows alone vs the same 40 rows plus 40 rows of weight 0. Same steps, same mean loss.
        DataSet data = TestData.Teacher(40, 3, Head.Regression, seed: 2);
        DataSet noise = TestData.Teacher(40, 3, Head.Regression, seed: 9);
        DataSet padded = DataSet.FromRowMajor([.. data.Features.ToArray(), .. noise.Features.ToArray()], 3,
            [.. data.Labels.ToArray(), .. noise.Labels.ToArray()], [.. Enumerable.Repeat(1f, 40), .. Enumerable.Repeat(0f, 40)]);
        var options = new TrainerOptions { Engine = engine, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Epochs = 5, BatchSize = 80, Shuffle = false };
        TrainingResult a = Trainer.Train(data, options);
        TrainingResult b = Trainer.Train(padded, options);
        for (int i = 0; i < a.Network.W1.Length; i++)
        {
            Assert.Equal(a.Network.W1[i], b.Network.W1[i], 1e-6);
        }

        Assert.Equal(a.History.TrainingLoss[^1], b.History.TrainingLoss[^1], 1e-6);
    }

    [Theory]
    [InlineData(Engine.Reference)]
    [InlineData(Engine.Fast)]
    public void A_batch_of_zero_weight_rows_takes_no_step(Engine engine)
    {
        // Batches of 2 without shuffling: rows 0–1 weigh 0, rows 2–3 weigh 1. The zero batch must not move anything (with
        // the old 1/B rule it took a pure L2 step and Adam counted it); so training equals training on rows 2–3 alone.
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        float[] y = [1, 0, 0, 1];
        DataSet data = DataSet.FromRowMajor(x, 2, y, [0, 0, 1, 1]);
        DataSet tail = DataSet.FromRowMajor(x[4..], 2, y[2..]);
        Network start = Network.CreateRandom(2, 3, Head.BinaryClassification, 4);
        var options = new TrainerOptions { Engine = engine, LearningRate = 0.05, Epochs = 4, BatchSize = 2, Shuffle = false, L2Regularization = 0.1 };
        Network a = Trainer.Train(start, data, options).Network;
        Network b = Trainer.Train(start, tail, options).Network;
        Assert.Equal(b.W1, a.W1);
        Assert.Equal(b.B2[0], a.B2[0]);
    }

    [Fact]
    public void All_zero_weights_are_refused_naming_the_weights()
    {
        // They used to train on nothing and return a model with loss 0.
        var e = Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor([1, 2], 1, [0, 1], [0, 0]));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("all 2 sample weights are 0", e.Message);
    }

    [Fact]
    public void Training_does_not_change_the_initial_network()
    {
        Network start = NetworkTests.Scalar(Head.Regression);
        Trainer.Train(start, DataSet.FromRowMajor([2f], 1, [1f]), new TrainerOptions { Epochs = 3 });
        Assert.Equal(0.5, start.W1[0]);
        Assert.Equal(1.0, start.W2[0]);
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            onReport(value);
        }
    }

    /// <summary>Training on the hold-out Trainer.HoldOut gives is the run Train makes when it splits itself, for every head.</summary>
    [Theory]
    [InlineData(Head.Regression)]
    [InlineData(Head.BinaryClassification)]
    [InlineData(Head.MulticlassClassification)]
    public void Training_on_HoldOuts_split_is_the_run_Train_makes_itself(Head head)
    {
        DataSet data = TestData.Teacher(300, 4, head, seed: 6, weights: true);
        var options = new TrainerOptions { Head = head, HiddenUnits = 5, Epochs = 12, ValidationFraction = 0.2, EarlyStoppingPatience = 3, Seed = 9 };
        Network initial = head == Head.MulticlassClassification
            ? Network.CreateRandom(4, 5, head, 3, 9)
            : Network.CreateRandom(4, 5, head, 9);
        (DataSet fit, DataSet holdOut) = Trainer.HoldOut(initial, data, options)!.Value;
        Assert.Equal(data.RowCount, fit.RowCount + holdOut.RowCount);
        Assert.Equal(60, holdOut.RowCount, tolerance: 3);

        TrainingResult itself = Trainer.Train(initial, data, options);
        TrainingResult given = Trainer.Train(initial, fit, options, holdOut);
        Assert.Equal(itself.History.ValidationLoss, given.History.ValidationLoss);
        Assert.Equal(itself.Network.W1, given.Network.W1);
        Assert.Equal(itself.Network.B2, given.Network.B2);

        Assert.Null(Trainer.HoldOut(initial, data, new TrainerOptions { Head = head, ValidationFraction = 0 }));
        Assert.Null(Trainer.HoldOut(initial, data, new TrainerOptions { Head = head, ValidationFraction = 0.2, EarlyStoppingPatience = 0 }));
    }
}

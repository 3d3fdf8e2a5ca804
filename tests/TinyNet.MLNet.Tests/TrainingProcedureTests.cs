using Microsoft.ML;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// <see cref="TrainingProcedure.Adaptive"/> (the default): λ ÷ 10, × 1, × 10 each early-stopped on one seeded 20% hold-out,
/// the lowest best-epoch hold-out loss wins, and that λ is trained on every row for its best epoch count;
/// <see cref="TrainingProcedure.Plain"/> is the notes' network exactly as the options say.
/// </summary>
public sealed class TrainingProcedureTests
{
    [Fact]
    public void Adaptive_returns_the_lambda_with_the_lowest_hold_out_loss_trained_on_every_row()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        IDataView features = RealData.BreastCancerFeaturizer(ml, data).Fit(data).Transform(data);
        TinyNetModelParameters adaptive = ml.BinaryClassification.Trainers.TinyNet(
            new TinyNetBinaryTrainer.Options { Seed = 3, NumberOfIterations = 60, EarlyStoppingPatience = 5 }).Fit(features).Model;

        // The same procedure spelled out with Plain runs: each λ on the same hold-out, then the winner on every row.
        var candidates = new List<(float L2, double Loss, int Epoch)>();
        foreach (float l2 in Grid(TinyNetBinaryTrainer.Options.Defaults.L2Regularization))
        {
            TrainingHistory h = ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options
            {
                Procedure = TrainingProcedure.Plain, Seed = 3, NumberOfIterations = 60, EarlyStoppingPatience = 5, ValidationFraction = 0.2f, L2Regularization = l2,
            }).Fit(features).Model.History!;
            candidates.Add((l2, h.ValidationLoss![h.BestEpoch - 1], h.BestEpoch));
        }

        (float chosen, _, int epochs) = candidates.MinBy(c => c.Loss);
        Assert.True(candidates.Select(c => c.Loss).Distinct().Count() == 3, "the three λ should be told apart on this set");
        TinyNetModelParameters expected = ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options
        {
            Procedure = TrainingProcedure.Plain, Seed = 3, NumberOfIterations = epochs, ValidationFraction = 0, L2Regularization = chosen,
        }).Fit(features).Model;
        Assert.Equal(expected.W1.ToArray(), adaptive.W1.ToArray());
        Assert.Equal(expected.W2.ToArray(), adaptive.W2.ToArray());
        Assert.Equal(epochs, adaptive.History!.EpochCount);
        Assert.Null(adaptive.History.ValidationLoss);        // the returned run trained on every row
    }

    [Fact]
    public void Adaptive_is_reproducible_under_the_context_seed_for_every_task()
    {
        static float[] Fit(int seed, Func<MLContext, IDataView, float[]> fit)
        {
            var ml = new MLContext(seed: seed);
            return fit(ml, ml.Data.LoadFromEnumerable(Rows()));
        }

        Func<MLContext, IDataView, float[]>[] tasks =
        [
            (ml, d) => [.. ml.Regression.Trainers.TinyNet(labelColumnName: "Value", numberOfIterations: 15).Fit(d).Model.W1.ToArray().Select(v => (float)v)],
            (ml, d) => [.. ml.BinaryClassification.Trainers.TinyNet(labelColumnName: "Flag", numberOfIterations: 15).Fit(d).Model.W1.ToArray().Select(v => (float)v)],
            (ml, d) => [.. ml.MulticlassClassification.Trainers.TinyNet(labelColumnName: "Key", numberOfIterations: 15)
                .Fit(ml.Transforms.Conversion.MapValueToKey("Key", "Class").Fit(d).Transform(d)).Model.W1.ToArray().Select(v => (float)v)],
        ];
        foreach (Func<MLContext, IDataView, float[]> task in tasks)
        {
            Assert.Equal(Fit(5, task), Fit(5, task));
            Assert.NotEqual(Fit(5, task), Fit(6, task));
        }
    }

    [Fact]
    public void With_a_validation_set_adaptive_chooses_on_it_and_trains_on_the_training_rows_only()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        IDataView features = RealData.ConcreteFeaturizer(ml, data).Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(features, testFraction: 0.25, seed: 1);
        var options = new TinyNetRegressionTrainer.Options { Seed = 2, NumberOfIterations = 30, EarlyStoppingPatience = 5 };
        TinyNetModelParameters adaptive = ml.Regression.Trainers.TinyNet(options).Fit(split.TrainSet, split.TestSet).Model;
        Assert.NotNull(adaptive.History!.ValidationLoss);   // the chosen run itself, stopped on the given set: no refit

        double best = double.PositiveInfinity;
        TinyNetModelParameters? expected = null;
        foreach (float l2 in Grid(TinyNetRegressionTrainer.Options.Defaults.L2Regularization))
        {
            TinyNetModelParameters m = ml.Regression.Trainers.TinyNet(new TinyNetRegressionTrainer.Options
            {
                Procedure = TrainingProcedure.Plain, Seed = 2, NumberOfIterations = 30, EarlyStoppingPatience = 5, L2Regularization = l2,
            }).Fit(split.TrainSet, split.TestSet).Model;
            double loss = m.History!.ValidationLoss![m.History.BestEpoch - 1];
            if (loss < best)
            {
                (best, expected) = (loss, m);
            }
        }

        Assert.Equal(expected!.W1.ToArray(), adaptive.W1.ToArray());
    }

    /// <summary>
    /// Plain SGD with lr 1 and λ 0.5: the λ × 10 candidate (lr · λ = 5) blows its weights up and diverges; it drops out
    /// with a warning and the others decide. When every candidate diverges, Fit throws the options' own λ's error.
    /// </summary>
    [Fact]
    public void A_candidate_that_diverges_drops_out_and_only_all_diverging_is_an_error()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) { log.Add(e.Message); } };
        IDataView data = RealData.BreastCancer(ml);
        IDataView features = RealData.BreastCancerFeaturizer(ml, data).Fit(data).Transform(data);
        var options = new TinyNetBinaryTrainer.Options { Seed = 3, NumberOfIterations = 30, Optimizer = Optimizer.Sgd, LearningRate = 1f, L2Regularization = 0.5f };
        TinyNetModelParameters model = ml.BinaryClassification.Trainers.TinyNet(options).Fit(features).Model;
        Assert.True(model.W1.ToArray().All(double.IsFinite));
        Assert.Contains(log, m => m.Contains("λ = 5 diverged and drops out"));

        var hopeless = new TinyNetBinaryTrainer.Options { Seed = 3, NumberOfIterations = 30, Optimizer = Optimizer.Sgd, LearningRate = 1e6f };
        var e = Assert.Throws<TrainingDivergedException>(() => ml.BinaryClassification.Trainers.TinyNet(hopeless).Fit(features));
        Assert.Equal(1e6, e.LearningRate, 1e-3);
    }

    [Fact]
    public void Plain_trains_the_notes_network_once_as_the_options_say()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        IDataView features = RealData.ConcreteFeaturizer(ml, data).Fit(data).Transform(data);
        var options = new TinyNetRegressionTrainer.Options { Procedure = TrainingProcedure.Plain, Seed = 2, NumberOfIterations = 7 };
        TrainingHistory history = ml.Regression.Trainers.TinyNet(options).Fit(features).Model.History!;
        Assert.Equal(7, history.EpochCount);               // ValidationFraction 0: every row, every epoch, no hold-out
        Assert.Null(history.ValidationLoss);
    }

    [Theory]
    [InlineData(200, 1_000, 200)]            // small data: NumberOfIterations
    [InlineData(200, 37_000, 28)]            // 10⁶ rows in all
    [InlineData(200, 10_000_000, 10)]        // at least 10 epochs
    [InlineData(5, 37_000, 5)]
    public void The_candidates_epoch_budget_binds_only_on_large_data(int epochs, int rows, int expected) =>
        Assert.Equal(expected, TinyNetTrainerBase.AdaptiveEpochs(epochs, rows));

    [Theory]
    [InlineData(0f)]
    [InlineData(0.6f)]
    [InlineData(float.NaN)]
    public void A_hold_out_fraction_outside_0_to_half_is_refused_by_name(float fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MLContext().BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { AdaptiveHoldOutFraction = fraction }));
        Assert.Equal(nameof(TinyNetTrainerOptions.AdaptiveHoldOutFraction), e.ParamName);
        Assert.Contains("(0, 0.5]", e.Message);
    }

    [Fact]
    public void An_undefined_procedure_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MLContext().Regression.Trainers.TinyNet(new TinyNetRegressionTrainer.Options { Procedure = (TrainingProcedure)7 }));
        Assert.Equal(nameof(TinyNetTrainerOptions.Procedure), e.ParamName);
    }

    /// <summary>The options' λ, λ ÷ 10 and λ × 10, as L2Regularization holds them.</summary>
    private static float[] Grid(float l2) => [l2, (float)(l2 * 0.1), (float)(l2 * 10.0)];

    private sealed class Row
    {
        public float Value { get; set; }

        public bool Flag { get; set; }

        public string Class { get; set; } = "";

        [Microsoft.ML.Data.VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    private static IEnumerable<Row> Rows()
    {
        for (int i = 0; i < 120; i++)
        {
            float a = MathF.Sin(i), b = MathF.Cos(1.7f * i), c = (i % 7) / 7f;
            yield return new Row { Features = [a, b, c], Value = a + 2 * b * c, Flag = a + b > 0, Class = a > 0.3f ? "x" : b > 0 ? "y" : "z" };
        }
    }
}

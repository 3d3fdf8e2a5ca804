using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using TinyNet.MLNet;

namespace TinyNet.Examples.Compare;

internal static class Trainers
{
    /// <summary>TinyNet with its defaults plus the variant's overrides, Fit(train), seed = the split's number.</summary>
    public static (SplitResult Result, TrainingHistory History) RunTinyNet(
        MLContext ml, DataSpec spec, TinyNetVariant variant, int split, IDataView train, IDataView test, ProgressLine progress)
    {
        string prefix = $"{spec.Name} split {split + 1}/{CompareApp.Splits}: {variant.Name}";
        var clock = Stopwatch.StartNew();
        progress.Show($"{prefix} training…", important: true);
        var report = new Callback(p => progress.Show(
            $"{prefix} epoch {p.Epoch}, loss {p.TrainingLoss:F4}{(p.ValidationLoss is { } v ? $", validation {v:F4}" : "")}, {clock.Elapsed.TotalSeconds:F1} s",
            important: false));
        TinyNetPredictionTransformer model = FitTinyNet(ml, spec, variant, split, train, report, epochs: null);
        if (variant.Stop is { } stop)
        {
            TrainingHistory full = model.Model.History!;   // a freshly trained model always has its history
            int epochs = TrainingLossStopEpoch(full.TrainingLoss, stop.Patience, stop.Tolerance);
            if (epochs < full.EpochCount)
            {
                clock.Restart();   // the time of the run the rule would have made
                model = FitTinyNet(ml, spec, variant, split, train, report, epochs);
            }
        }

        double trainSeconds = clock.Elapsed.TotalSeconds;
        return (Evaluate(ml, spec, model, test, trainSeconds, progress, prefix), model.Model.History!);
    }

    /// <summary>A built-in ML.NET trainer with its defaults.</summary>
    public static SplitResult RunBuiltIn(MLContext ml, DataSpec spec, string name, int split, IDataView train, IDataView test, ProgressLine progress)
    {
        string prefix = $"{spec.Name} split {split + 1}/{CompareApp.Splits}: {name}";
        progress.Show($"{prefix} training…", important: true);
        var clock = Stopwatch.StartNew();
        ITransformer model = Estimator(ml, spec.Task, name).Fit(train);
        return Evaluate(ml, spec, model, test, clock.Elapsed.TotalSeconds, progress, prefix);
    }

    /// <summary>
    /// scikit-learn's stopping rule on the training loss (MLPClassifier/MLPRegressor with early_stopping=False): the first
    /// epoch at which the loss has failed, <paramref name="patience"/> epochs in a row, to fall below the best so far minus
    /// <paramref name="tolerance"/>; the whole history if that never happens.
    /// </summary>
    internal static int TrainingLossStopEpoch(IReadOnlyList<double> loss, int patience, double tolerance)
    {
        double best = double.PositiveInfinity;
        int without = 0;
        for (int e = 0; e < loss.Count; e++)
        {
            if (loss[e] > best - tolerance)
            {
                without++;
            }
            else
            {
                without = 0;
            }

            best = Math.Min(best, loss[e]);
            if (without >= patience)
            {
                return e + 1;
            }
        }

        return loss.Count;
    }

    private static TinyNetPredictionTransformer FitTinyNet(
        MLContext ml, DataSpec spec, TinyNetVariant variant, int split, IDataView train, IProgress<TrainingProgress> report, int? epochs)
    {
        TinyNetTrainerOptions options = spec.Task switch
        {
            TaskKind.Binary => new TinyNetBinaryTrainer.Options(),
            TaskKind.Regression => new TinyNetRegressionTrainer.Options(),
            _ => new TinyNetMulticlassTrainer.Options(),
        };
        variant.ApplyTo(options);
        options.Seed = split;
        options.Progress = report;
        if (epochs is { } e)
        {
            options.NumberOfIterations = e;
        }

        return options switch
        {
            TinyNetBinaryTrainer.Options binary => ml.BinaryClassification.Trainers.TinyNet(binary).Fit(train),
            TinyNetMulticlassTrainer.Options multiclass => ml.MulticlassClassification.Trainers.TinyNet(multiclass).Fit(train),
            _ => ml.Regression.Trainers.TinyNet((TinyNetRegressionTrainer.Options)options).Fit(train),
        };
    }

    private static SplitResult Evaluate(MLContext ml, DataSpec spec, ITransformer model, IDataView test, double trainSeconds, ProgressLine progress, string prefix)
    {
        var predictClock = Stopwatch.StartNew();
        IDataView scored = model.Transform(test);
        int rowCount = spec.Task == TaskKind.Multiclass ? scored.GetColumn<float[]>("Score").Count() : scored.GetColumn<float>("Score").Count();
        double rowsPerSecond = rowCount / Math.Max(predictClock.Elapsed.TotalSeconds, 1e-9);

        Dictionary<string, double> metrics;
        if (spec.Task == TaskKind.Multiclass)
        {
            MulticlassClassificationMetrics m = ml.MulticlassClassification.Evaluate(scored);
            metrics = new() { ["microAccuracy"] = m.MicroAccuracy, ["macroAccuracy"] = m.MacroAccuracy, ["logLoss"] = m.LogLoss };
        }
        else if (spec.Task == TaskKind.Binary)
        {
            CalibratedBinaryClassificationMetrics m = ml.BinaryClassification.Evaluate(scored);
            metrics = new() { ["auc"] = m.AreaUnderRocCurve, ["accuracy"] = m.Accuracy, ["f1"] = m.F1Score, ["logLoss"] = m.LogLoss };
        }
        else
        {
            RegressionMetrics m = ml.Regression.Evaluate(scored);
            metrics = new() { ["rmse"] = m.RootMeanSquaredError, ["mae"] = m.MeanAbsoluteError, ["r2"] = m.RSquared };
        }

        progress.Show($"{prefix} done in {trainSeconds:F2} s", important: true);
        return new SplitResult(metrics, trainSeconds, rowsPerSecond);
    }

    private static IEstimator<ITransformer> Estimator(MLContext ml, TaskKind task, string name) => (task, name) switch
    {
        (TaskKind.Binary, "sdca") => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
        (TaskKind.Binary, "lbfgs") => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
        (TaskKind.Binary, "fasttree") => ml.BinaryClassification.Trainers.FastTree(),
        (TaskKind.Binary, "lightgbm") => ml.BinaryClassification.Trainers.LightGbm(),
        (TaskKind.Regression, "sdca") => ml.Regression.Trainers.Sdca(),
        (TaskKind.Regression, "ogd") => ml.Regression.Trainers.OnlineGradientDescent(),
        (TaskKind.Regression, "fasttree") => ml.Regression.Trainers.FastTree(),
        (TaskKind.Regression, "lightgbm") => ml.Regression.Trainers.LightGbm(),
        (TaskKind.Multiclass, "lbfgs") => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(),
        (TaskKind.Multiclass, "sdca") => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
        (TaskKind.Multiclass, "lightgbm") => ml.MulticlassClassification.Trainers.LightGbm(),
        (TaskKind.Multiclass, "ova-fasttree") => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree()),
        _ => throw new UsageException($"trainer '{name}' does not apply to {task} tasks.", exitCode: 1),
    };

    private sealed class Callback(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

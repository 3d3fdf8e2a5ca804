using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;
using TinyNet.MLNet;

namespace TinyNet.Examples.Compare;

/// <summary>
/// Trains TinyNet beside ML.NET's built-in trainers on the same featurised data and prints one table per data set.
/// Protocol: numeric columns → ReplaceMissingValues (mean) + NormalizeMeanVariance; text columns → OneHotEncoding;
/// five random 80/20 splits (seeds 0–4, stratified by label for binary tasks), metrics averaged over the splits.
/// TinyNet holds out 10% of each training split for early stopping, and standardises regression labels internally.
/// </summary>
internal static class CompareApp
{
    public const int Splits = 5;

    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive)
    {
        try
        {
            CommandLine command = CommandLine.Parse(args);
            var progress = new ProgressLine(output, interactive);
            var results = new List<TrainerResult>();
            output.WriteLine("Protocol: numeric → ReplaceMissingValues(mean) + NormalizeMeanVariance; text → OneHotEncoding; " +
                             $"{Splits} random 80/20 splits (seeds 0–{Splits - 1}, stratified for binary), metrics averaged. " +
                             "TinyNet: 10% of each training split held out for early stopping; regression labels standardised inside the trainer.");
            output.WriteLine($"TinyNet settings: binary {Trainers.BinarySettings}; regression {Trainers.RegressionSettings}. Built-in trainers: ML.NET defaults.");
            output.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformationText()}.");
            Directory.CreateDirectory(command.OutputFolder);
            foreach (DataSpec spec in command.Data)
            {
                var stopwatch = Stopwatch.StartNew();
                (List<TrainerResult> rows, TrainingHistory? history) = interactive
                    ? AnsiConsole.Status().Start($"{spec.Name}: starting", ctx =>
                    {
                        progress.Context = ctx;
                        return RunDataSet(spec, command.Trainers, progress);
                    })
                    : RunDataSet(spec, command.Trainers, progress);
                results.AddRange(rows);
                Report.PrintTable(output, spec, rows, stopwatch.Elapsed);
                foreach (string png in Plots.Write(command.OutputFolder, spec, rows, history))
                {
                    output.WriteLine($"  plot: {png}");
                }
            }

            if (command.Json is { } json)
            {
                File.WriteAllText(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                output.WriteLine($"Results written to {json}.");
            }

            return 0;
        }
        catch (UsageException e)
        {
            (e.ExitCode == 0 ? output : error).WriteLine(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or FormatException or InvalidOperationException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    private static (List<TrainerResult> Rows, TrainingHistory? History) RunDataSet(DataSpec spec, IReadOnlyList<string>? requested, ProgressLine progress)
    {
        CsvTable table = CsvTable.Read(spec.Path);
        int labelIndex = Array.IndexOf(table.Header, spec.Label);
        if (labelIndex < 0)
        {
            throw new UsageException($"{spec.Name}: no label column '{spec.Label}'. Columns: {string.Join(", ", table.Header)}.", exitCode: 1);
        }

        string[] trainers = [.. (spec.Task == TaskKind.Binary ? CommandLine.BinaryTrainers : CommandLine.RegressionTrainers)
            .Where(t => requested is null || requested.Contains(t))];
        if (trainers.Length == 0)
        {
            throw new UsageException($"{spec.Name}: none of the requested trainers applies to a {spec.Task.ToString().ToLowerInvariant()} task.", exitCode: 1);
        }

        (bool[] positive, string? positiveValue) = LabelsOf(table, labelIndex, spec);
        string augmented = SplitFile.Write(table, spec, positive);
        try
        {
            var ml = new MLContext(seed: 0);
            IDataView data = SplitFile.Load(ml, table, augmented, labelIndex, spec);
            var perTrainer = trainers.ToDictionary(t => t, _ => new List<SplitResult>());
            TrainingHistory? history = null;
            for (int split = 0; split < Splits; split++)
            {
                IDataView train = ml.Data.FilterRowsByColumn(data, $"__test{split}", 0, 0.5);
                IDataView test = ml.Data.FilterRowsByColumn(data, $"__test{split}", 0.5, 1.5);
                ITransformer featurizer = Featurizer.Build(ml, table, labelIndex, spec, positiveValue).Fit(train);
                IDataView trainFeatures = Materialize(ml.Data.Cache(featurizer.Transform(train)));
                IDataView testFeatures = Materialize(ml.Data.Cache(featurizer.Transform(test)));
                foreach (string trainer in trainers)
                {
                    (SplitResult result, TrainingHistory? h) = Trainers.RunOne(ml, spec, trainer, split, trainFeatures, testFeatures, progress);
                    perTrainer[trainer].Add(result);
                    if (split == 0 && h is not null)
                    {
                        history = h;
                    }
                }
            }

            return ([.. trainers.Select(t => TrainerResult.Average(spec, t, perTrainer[t]))], history);
        }
        finally
        {
            File.Delete(augmented);
        }
    }

    /// <summary>Fills an in-memory cache now, so that no trainer's time includes reading and featurising the CSV.</summary>
    private static IDataView Materialize(IDataView cached)
    {
        using DataViewRowCursor cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext())
        {
        }

        return cached;
    }

    /// <summary>For binary tasks, which rows are positive and the positive label value; checks the label values first.</summary>
    private static (bool[] Positive, string? Value) LabelsOf(CsvTable table, int labelIndex, DataSpec spec)
    {
        string[] values = [.. table.Rows.Select(r => r[labelIndex])];
        if (values.Any(v => v.Length == 0))
        {
            throw new UsageException($"{spec.Name}: the label column '{spec.Label}' has empty values (row {Array.FindIndex(values, v => v.Length == 0) + 1}).", exitCode: 1);
        }

        if (spec.Task == TaskKind.Regression)
        {
            if (!table.IsNumeric[labelIndex])
            {
                throw new UsageException($"{spec.Name}: regression needs a numeric label, but '{spec.Label}' has values like '{values.First(v => !CsvTable.IsNumber(v))}'.", exitCode: 1);
            }

            return (new bool[values.Length], null);
        }

        string[] distinct = [.. values.Distinct().Order(StringComparer.Ordinal)];
        string positive = spec.Positive
            ?? (distinct.Length == 2 && distinct.Contains("1") ? "1" : distinct.Length == 2 && distinct.Contains("true", StringComparer.OrdinalIgnoreCase) ? distinct.First(d => d.Equals("true", StringComparison.OrdinalIgnoreCase))
            : throw new UsageException($"{spec.Name}: say which label value is the positive class with --positive (values: {string.Join(", ", distinct.Take(10))}).", exitCode: 1));
        if (!distinct.Contains(positive))
        {
            throw new UsageException($"{spec.Name}: --positive '{positive}' is not a value of '{spec.Label}' (values: {string.Join(", ", distinct.Take(10))}).", exitCode: 1);
        }

        bool[] result = [.. values.Select(v => v == positive)];
        if (result.All(p => p) || !result.Any(p => p))
        {
            throw new UsageException($"{spec.Name}: every row has the same class; binary classification needs both.", exitCode: 1);
        }

        return (result, positive);
    }
}

/// <summary>Writes the CSV again with split flags: __test0..4 (stratified 80/20 per seed) and __val0..4 (10% of the training rows).</summary>
internal static class SplitFile
{
    public static string Write(CsvTable table, DataSpec spec, bool[] positive)
    {
        int n = table.Rows.Count;
        var test = new bool[CompareApp.Splits][];
        var validation = new bool[CompareApp.Splits][];
        for (int s = 0; s < CompareApp.Splits; s++)
        {
            test[s] = Pick(Enumerable.Range(0, n), spec, positive, 0.2, seed: s, n);
            validation[s] = Pick(Enumerable.Range(0, n).Where(i => !test[s][i]), spec, positive, 0.1, seed: 100 + s, n);
        }

        string path = Path.Combine(Path.GetTempPath(), $"tinynet-compare-{Guid.NewGuid():N}.csv");
        var sb = new StringBuilder();
        sb.Append(string.Join(',', table.Header.Select(Quote)));
        for (int s = 0; s < CompareApp.Splits; s++)
        {
            sb.Append($",__test{s},__val{s}");
        }

        sb.Append('\n');
        for (int i = 0; i < n; i++)
        {
            sb.Append(table.Lines[i]);
            for (int s = 0; s < CompareApp.Splits; s++)
            {
                sb.Append(test[s][i] ? ",1" : ",0").Append(validation[s][i] ? ",1" : ",0");
            }

            sb.Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
        return path;
    }

    public static IDataView Load(MLContext ml, CsvTable table, string path, int labelIndex, DataSpec spec)
    {
        var columns = new List<TextLoader.Column>();
        for (int c = 0; c < table.Header.Length; c++)
        {
            bool text = !table.IsNumeric[c] || (c == labelIndex && spec.Task == TaskKind.Binary);
            columns.Add(new TextLoader.Column(table.Header[c], text ? DataKind.String : DataKind.Single, c));
        }

        for (int s = 0, c = table.Header.Length; s < CompareApp.Splits; s++, c += 2)
        {
            columns.Add(new TextLoader.Column($"__test{s}", DataKind.Single, c));
            columns.Add(new TextLoader.Column($"__val{s}", DataKind.Single, c + 1));
        }

        return ml.Data.LoadFromTextFile(path, new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, Columns = [.. columns] });
    }

    /// <summary>A seeded random fraction of <paramref name="rows"/>, stratified by class for binary tasks.</summary>
    private static bool[] Pick(IEnumerable<int> rows, DataSpec spec, bool[] positive, double fraction, int seed, int n)
    {
        var picked = new bool[n];
        var random = new Random(seed);
        IEnumerable<IGrouping<bool, int>> groups = spec.Task == TaskKind.Binary ? rows.GroupBy(i => positive[i]) : rows.GroupBy(_ => false);
        foreach (IGrouping<bool, int> group in groups.OrderBy(g => g.Key))
        {
            int[] members = [.. group];
            random.Shuffle(members);
            foreach (int i in members.Take((int)Math.Round(fraction * members.Length)))
            {
                picked[i] = true;
            }
        }

        return picked;
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}

/// <summary>The same featurisation for every trainer.</summary>
internal static class Featurizer
{
    public static IEstimator<ITransformer> Build(MLContext ml, CsvTable table, int labelIndex, DataSpec spec, string? positive)
    {
        string[] numeric = [.. Enumerable.Range(0, table.Header.Length).Where(c => c != labelIndex && table.IsNumeric[c]).Select(c => table.Header[c])];
        string[] text = [.. Enumerable.Range(0, table.Header.Length).Where(c => c != labelIndex && !table.IsNumeric[c]).Select(c => table.Header[c])];
        IEstimator<ITransformer> label = spec.Task == TaskKind.Binary
            ? ml.Transforms.Conversion.MapValue("Label",
                table.Rows.Select(r => r[labelIndex]).Distinct().Select(v => new KeyValuePair<string, bool>(v, v == positive)), spec.Label)
            : ml.Transforms.CopyColumns("Label", spec.Label);
        IEstimator<ITransformer> pipeline = label;
        if (numeric.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair("__num_" + c, c))]));
        }

        if (text.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding([.. text.Select(c => new InputOutputColumnPair("__cat_" + c, c))]));
        }

        return pipeline
            .Append(ml.Transforms.Concatenate("Features", [.. numeric.Select(c => "__num_" + c), .. text.Select(c => "__cat_" + c)]))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));
    }
}

/// <summary>A live Spectre.Console status line (interactive terminals) or plain progress lines (redirected output).</summary>
internal sealed class ProgressLine(TextWriter output, bool interactive)
{
    public StatusContext? Context { get; set; }

    public void Show(string text, bool important)
    {
        if (interactive && Context is not null)
        {
            Context.Status(Markup.Escape(text));
        }
        else if (important)
        {
            output.WriteLine(text);
        }
    }
}

internal sealed record SplitResult(Dictionary<string, double> Metrics, double TrainSeconds, double PredictRowsPerSecond);

/// <summary>A trainer's averages over the splits, as printed and written to --json.</summary>
internal sealed record TrainerResult(string Dataset, string Task, string Trainer, int Splits, Dictionary<string, double> Metrics, double TrainSeconds, double PredictRowsPerSecond)
{
    public static TrainerResult Average(DataSpec spec, string trainer, List<SplitResult> splits) => new(
        spec.Name, spec.Task.ToString().ToLowerInvariant(), trainer, splits.Count,
        splits[0].Metrics.Keys.ToDictionary(k => k, k => splits.Average(s => s.Metrics[k])),
        splits.Average(s => s.TrainSeconds), splits.Average(s => s.PredictRowsPerSecond));
}

internal static class Trainers
{
    public static (SplitResult Result, TrainingHistory? History) RunOne(
        MLContext ml, DataSpec spec, string name, int split, IDataView train, IDataView test, ProgressLine progress)
    {
        string prefix = $"{spec.Name} split {split + 1}/{CompareApp.Splits}: {name}";
        var clock = Stopwatch.StartNew();
        progress.Show($"{prefix} training…", important: true);
        var tinyNetProgress = new Callback(p => progress.Show(
            $"{prefix} epoch {p.Epoch}, loss {p.TrainingLoss:F4}, validation {p.ValidationLoss:F4}, {clock.Elapsed.TotalSeconds:F1} s", important: p.Epoch % 25 == 0));
        ITransformer model;
        TrainingHistory? history = null;
        if (name == "tinynet")
        {
            IDataView fit = ml.Data.FilterRowsByColumn(train, $"__val{split}", 0, 0.5);
            IDataView validation = ml.Data.FilterRowsByColumn(train, $"__val{split}", 0.5, 1.5);
            TinyNetPredictionTransformer tinyNet = spec.Task == TaskKind.Binary
                ? ml.BinaryClassification.Trainers.TinyNet(BinaryOptions(split, tinyNetProgress)).Fit(fit, validation)
                : ml.Regression.Trainers.TinyNet(RegressionOptions(split, tinyNetProgress)).Fit(fit, validation);
            history = tinyNet.Model.History;
            model = tinyNet;
        }
        else
        {
            model = Estimator(ml, spec.Task, name).Fit(train);
        }

        double trainSeconds = clock.Elapsed.TotalSeconds;
        var predictClock = Stopwatch.StartNew();
        IDataView scored = model.Transform(test);
        float[] scores = [.. scored.GetColumn<float>("Score")];
        double rowsPerSecond = scores.Length / Math.Max(predictClock.Elapsed.TotalSeconds, 1e-9);

        Dictionary<string, double> metrics;
        if (spec.Task == TaskKind.Binary)
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
        return (new SplitResult(metrics, trainSeconds, rowsPerSecond), history);
    }

    /// <summary>TinyNet's settings here (chosen on breast_cancer and credit_data; the built-in trainers run with their defaults).</summary>
    public const string BinarySettings = "H = 64, Adam lr 0.001, batch 32, L2 1e-3, up to 300 epochs, early stopping patience 20";

    /// <summary>TinyNet's settings for regression (chosen on concrete).</summary>
    public const string RegressionSettings = "H = 64, Adam lr 0.01 with decay 0.005, batch 8, no L2, up to 2000 epochs, early stopping patience 50";

    private static TinyNetBinaryTrainer.Options BinaryOptions(int seed, IProgress<TrainingProgress> progress) => new()
    {
        NumberOfHiddenUnits = 64, LearningRate = 0.001f, BatchSize = 32, L2Regularization = 1e-3f, NumberOfIterations = 300,
        EarlyStoppingPatience = 20, Seed = seed, Progress = progress,
    };

    private static TinyNetRegressionTrainer.Options RegressionOptions(int seed, IProgress<TrainingProgress> progress) => new()
    {
        NumberOfHiddenUnits = 64, LearningRate = 0.01f, LearningRateDecay = 0.005f, BatchSize = 8, L2Regularization = 0, NumberOfIterations = 2000,
        EarlyStoppingPatience = 50, Seed = seed, Progress = progress,
    };

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
        _ => throw new UsageException($"trainer '{name}' does not apply to {task} tasks.", exitCode: 1),
    };

    private sealed class Callback(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

internal static class Report
{
    public static void PrintTable(TextWriter output, DataSpec spec, List<TrainerResult> rows, TimeSpan elapsed)
    {
        string[] keys = [.. rows[0].Metrics.Keys];
        output.WriteLine();
        output.WriteLine($"### {spec.Name} ({spec.Task.ToString().ToLowerInvariant()}, label '{spec.Label}', mean of {rows[0].Splits} splits, {elapsed.TotalSeconds:F1} s)");
        output.WriteLine();
        output.WriteLine("| trainer | " + string.Join(" | ", keys.Select(Title)) + " | train s | predict rows/s |");
        output.WriteLine("|---|" + string.Concat(keys.Select(_ => "---:|")) + "---:|---:|");
        foreach (TrainerResult r in rows)
        {
            output.WriteLine($"| {r.Trainer} | " + string.Join(" | ", keys.Select(k => r.Metrics[k].ToString(k == "rmse" || k == "mae" ? "F3" : "F4", CultureInfo.InvariantCulture))) +
                             $" | {r.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture)} | {r.PredictRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} |");
        }
    }

    public static string Title(string key) => key switch
    {
        "auc" => "AUC", "accuracy" => "accuracy", "f1" => "F1", "logLoss" => "log-loss", "rmse" => "RMSE", "mae" => "MAE", "r2" => "R²", _ => key,
    };
}

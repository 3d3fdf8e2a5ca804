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
/// Trains TinyNet beside ML.NET's built-in trainers on the same featurised data and prints one table per data set, then
/// one summary table (data set × trainer). Protocol: numeric columns → ReplaceMissingValues (mean); text columns →
/// OneHotEncoding; then the normaliser (default NormalizeMeanVariance, as the README's pipeline); five random 80/20 splits
/// (seeds 0–4, stratified by label for classification tasks), metrics averaged over the splits. Every trainer runs with its
/// defaults and plain <c>Fit(train)</c>; TinyNet's seed is the split's number, so that its variants start alike.
/// </summary>
internal static class CompareApp
{
    public const int Splits = 5;

    /// <summary>The --json format: indented, camelCase, and "Infinity" for a log-loss that is infinite.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive)
    {
        try
        {
            CommandLine command = CommandLine.Parse(args);
            var progress = new ProgressLine(output, interactive);
            var results = new List<TrainerResult>();
            output.WriteLine("Protocol: numeric → ReplaceMissingValues(mean); text → OneHotEncoding; then " + Featurizer.Describe(command.Normalizer) +
                             $"; {Splits} random 80/20 splits (seeds 0–{Splits - 1}, stratified for classification), metrics averaged; every trainer with its defaults and Fit(train).");
            foreach (TinyNetVariant variant in command.Variants)
            {
                output.WriteLine($"{variant.Name}: {(variant.Settings.Count == 0 ? "TinyNet's defaults" : string.Join(", ", variant.Settings.Select(s => $"{s.Key}={s.Value}")))}");
            }

            output.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformationText()}.");
            foreach (string skipped in command.Skipped)
            {
                output.WriteLine($"skipped: {skipped}");
            }

            Directory.CreateDirectory(command.OutputFolder);
            List<TrainerResult> peers = command.PeerResults is { } peerFile ? PeerResults.Read(peerFile) : [];
            foreach (DataSpec spec in command.Data)
            {
                var stopwatch = Stopwatch.StartNew();
                (List<TrainerResult> rows, TrainingHistory? history) = interactive
                    ? AnsiConsole.Status().Start($"{spec.Name}: starting", ctx =>
                    {
                        progress.Context = ctx;
                        return RunDataSet(spec, command, progress);
                    })
                    : RunDataSet(spec, command, progress);
                rows.AddRange(peers.Where(p => p.Dataset == spec.Name && string.Equals(p.Task, spec.Task.ToString(), StringComparison.OrdinalIgnoreCase)));
                results.AddRange(rows);
                Report.PrintTable(output, spec, rows, stopwatch.Elapsed);
                foreach (string png in Plots.Write(command.OutputFolder, spec, rows, history))
                {
                    output.WriteLine($"  plot: {png}");
                }
            }

            if (command.Data.Count > 1)
            {
                Report.PrintSummary(output, results);
            }

            if (command.Json is { } json)
            {
                File.WriteAllText(json, JsonSerializer.Serialize(results, JsonOptions));
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

    private static (List<TrainerResult> Rows, TrainingHistory? History) RunDataSet(DataSpec spec, CommandLine command, ProgressLine progress)
    {
        CsvTable table = CsvTable.Read(spec.Path);
        int labelIndex = Array.IndexOf(table.Header, spec.Label);
        if (labelIndex < 0)
        {
            throw new UsageException($"{spec.Name}: no label column '{spec.Label}'. Columns: {string.Join(", ", table.Header)}.", exitCode: 1);
        }

        string[] trainers = [.. CommandLine.TrainersFor(spec.Task).Where(t => command.Trainers is null || command.Trainers.Contains(t))];
        if (trainers.Length == 0)
        {
            throw new UsageException($"{spec.Name}: none of the requested trainers applies to a {spec.Task.ToString().ToLowerInvariant()} task.", exitCode: 1);
        }

        (string[] strata, string? positiveValue) = LabelsOf(table, labelIndex, spec);
        bool[][] testRows = SplitFile.TestRows(strata);
        if (command.ExportSplits is { } folder)
        {
            SplitFile.Export(folder, spec, testRows);
        }

        string augmented = SplitFile.Write(table, testRows);
        try
        {
            var ml = new MLContext(seed: 0);
            IDataView data = SplitFile.Load(ml, table, augmented, labelIndex, spec);
            string[] rows = [.. trainers.SelectMany(t => t == "tinynet" ? command.Variants.Select(v => v.Name) : [t])];
            var perTrainer = rows.ToDictionary(t => t, _ => new List<SplitResult>());
            TrainingHistory? history = null;
            for (int split = 0; split < Splits; split++)
            {
                IDataView train = ml.Data.FilterRowsByColumn(data, $"__test{split}", 0, 0.5);
                IDataView test = ml.Data.FilterRowsByColumn(data, $"__test{split}", 0.5, 1.5);
                ITransformer featurizer = Featurizer.Build(ml, table, labelIndex, spec, positiveValue, command.Normalizer).Fit(train);
                IDataView trainFeatures = Materialize(ml.Data.Cache(featurizer.Transform(train)));
                IDataView testFeatures = Materialize(ml.Data.Cache(featurizer.Transform(test)));
                foreach (string trainer in trainers)
                {
                    if (trainer == "tinynet")
                    {
                        foreach (TinyNetVariant variant in command.Variants)
                        {
                            (SplitResult result, TrainingHistory h) = Trainers.RunTinyNet(ml, spec, variant, split, trainFeatures, testFeatures, progress);
                            perTrainer[variant.Name].Add(result);
                            history ??= h;
                        }
                    }
                    else
                    {
                        perTrainer[trainer].Add(Trainers.RunBuiltIn(ml, spec, trainer, split, trainFeatures, testFeatures, progress));
                    }
                }
            }

            return ([.. rows.Select(t => TrainerResult.Average(spec, t, perTrainer[t]))], history);
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

    /// <summary>
    /// The stratum of every row (binary: positive or not; multiclass: the class; regression: one stratum) and, for binary
    /// tasks, the positive label value; checks the label values first.
    /// </summary>
    private static (string[] Strata, string? Value) LabelsOf(CsvTable table, int labelIndex, DataSpec spec)
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

            return ([.. values.Select(_ => "")], null);
        }

        string[] distinct = [.. values.Distinct().Order(StringComparer.Ordinal)];
        if (spec.Task == TaskKind.Multiclass)
        {
            return distinct.Length >= 2 ? (values, null)
                : throw new UsageException($"{spec.Name}: every row has the same class '{distinct[0]}'; classification needs at least two.", exitCode: 1);
        }

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

        return ([.. result.Select(p => p ? "1" : "0")], positive);
    }
}

/// <summary>The splits: stratified 80/20 per seed; the CSV written again with their flags __test0..4; their test rows exported.</summary>
internal static class SplitFile
{
    /// <summary>For each split, which rows are its test rows.</summary>
    public static bool[][] TestRows(string[] strata) => [.. Enumerable.Range(0, CompareApp.Splits).Select(s => Pick(strata, 0.2, seed: s))];

    /// <summary>FOLDER/&lt;data set&gt;.csv: "split,row" for every test row of every split (row 0 is the first data line).</summary>
    public static void Export(string folder, DataSpec spec, bool[][] test)
    {
        Directory.CreateDirectory(folder);
        var sb = new StringBuilder("split,row\n");
        for (int s = 0; s < test.Length; s++)
        {
            for (int i = 0; i < test[s].Length; i++)
            {
                if (test[s][i])
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{s},{i}\n");
                }
            }
        }

        File.WriteAllText(Path.Combine(folder, spec.Name + ".csv"), sb.ToString());
    }

    public static string Write(CsvTable table, bool[][] test)
    {
        int n = table.Rows.Count;
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-compare-{Guid.NewGuid():N}.csv");
        var sb = new StringBuilder();
        sb.Append(string.Join(',', table.Header.Select(Quote)));
        for (int s = 0; s < CompareApp.Splits; s++)
        {
            sb.Append($",__test{s}");
        }

        sb.Append('\n');
        for (int i = 0; i < n; i++)
        {
            sb.Append(table.Lines[i]);
            for (int s = 0; s < CompareApp.Splits; s++)
            {
                sb.Append(test[s][i] ? ",1" : ",0");
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
            bool text = !table.IsNumeric[c] || (c == labelIndex && spec.Task != TaskKind.Regression);
            columns.Add(new TextLoader.Column(table.Header[c], text ? DataKind.String : DataKind.Single, c));
        }

        for (int s = 0, c = table.Header.Length; s < CompareApp.Splits; s++, c++)
        {
            columns.Add(new TextLoader.Column($"__test{s}", DataKind.Single, c));
        }

        return ml.Data.LoadFromTextFile(path, new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, Columns = [.. columns] });
    }

    /// <summary>A seeded random fraction of the rows, stratified (the same fraction of each stratum: class, or all rows for regression).</summary>
    private static bool[] Pick(string[] strata, double fraction, int seed)
    {
        var picked = new bool[strata.Length];
        var random = new Random(seed);
        foreach (IGrouping<string, int> group in Enumerable.Range(0, strata.Length).GroupBy(i => strata[i]).OrderBy(g => g.Key, StringComparer.Ordinal))
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
    public static string Describe(Normalizer normalizer) => normalizer switch
    {
        Normalizer.MeanVariance => "NormalizeMeanVariance (ML.NET's default: scales, does not centre)",
        Normalizer.MeanVarianceCentred => "NormalizeMeanVariance(fixZero: false)",
        Normalizer.MinMax => "NormalizeMinMax",
        Normalizer.Robust => "NormalizeRobustScaling on the numeric columns (median, IQR; one-hot columns as they are)",
        _ => "no normaliser",
    };

    public static IEstimator<ITransformer> Build(MLContext ml, CsvTable table, int labelIndex, DataSpec spec, string? positive, Normalizer normalizer)
    {
        string[] numeric = [.. Enumerable.Range(0, table.Header.Length).Where(c => c != labelIndex && table.IsNumeric[c]).Select(c => table.Header[c])];
        string[] text = [.. Enumerable.Range(0, table.Header.Length).Where(c => c != labelIndex && !table.IsNumeric[c]).Select(c => table.Header[c])];
        IEstimator<ITransformer> label = spec.Task switch
        {
            TaskKind.Binary => ml.Transforms.Conversion.MapValue("Label",
                table.Rows.Select(r => r[labelIndex]).Distinct().Select(v => new KeyValuePair<string, bool>(v, v == positive)), spec.Label),
            // Every class of the whole file, sorted, so that each split's key (and so each trainer's classes) is the same.
            TaskKind.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", spec.Label, keyData: ml.Data.LoadFromEnumerable(
                table.Rows.Select(r => r[labelIndex]).Distinct().Order(StringComparer.Ordinal).Select(v => new LabelValue { Value = v })),
                keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue),
            _ => ml.Transforms.CopyColumns("Label", spec.Label),
        };
        IEstimator<ITransformer> pipeline = label;
        if (numeric.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair("__num_" + c, c))]));
        }

        if (text.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding([.. text.Select(c => new InputOutputColumnPair("__cat_" + c, c))]));
        }

        if (normalizer == Normalizer.Robust)
        {
            // Median and IQR on the numeric columns only: ML.NET's robust scaler fails (IndexOutOfRangeException) on the
            // one-hot vectors of credit_data, and one-hot columns have an IQR of 0 in most sets anyway.
            if (numeric.Length == 0)
            {
                return pipeline.Append(ml.Transforms.Concatenate("Features", [.. text.Select(c => "__cat_" + c)]));
            }

            return pipeline
                .Append(ml.Transforms.Concatenate("__numeric", [.. numeric.Select(c => "__num_" + c)]))
                .Append(ml.Transforms.NormalizeRobustScaling("__numeric"))
                .Append(ml.Transforms.Concatenate("Features", ["__numeric", .. text.Select(c => "__cat_" + c)]));
        }

        pipeline = pipeline.Append(ml.Transforms.Concatenate("Features", [.. numeric.Select(c => "__num_" + c), .. text.Select(c => "__cat_" + c)]));
        return normalizer switch
        {
            Normalizer.MeanVariance => pipeline.Append(ml.Transforms.NormalizeMeanVariance("Features")),
            Normalizer.MeanVarianceCentred => pipeline.Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false)),
            Normalizer.MinMax => pipeline.Append(ml.Transforms.NormalizeMinMax("Features")),
            _ => pipeline,
        };
    }
}

/// <summary>Rows in --json's format from another tool (examples/Compare/peers/sklearn_peers.py), to print beside ML.NET's trainers.</summary>
internal static class PeerResults
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static List<TrainerResult> Read(string path)
    {
        try
        {
            List<TrainerResult> rows = JsonSerializer.Deserialize<List<TrainerResult>>(File.ReadAllText(path), Options) ?? [];
            foreach (TrainerResult r in rows)
            {
                if (r.Dataset is null || r.Task is null || r.Trainer is null || r.Metrics is null)
                {
                    throw new InvalidDataException($"--peer-results: '{path}' has a row without dataset, task, trainer or metrics.");
                }
            }

            return rows;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"--peer-results: '{path}' is not a JSON list of result rows ({e.Message}).");
        }
    }
}

/// <summary>One class name, for the key data of MapValueToKey.</summary>
internal sealed class LabelValue
{
    [ColumnName("Value")]
    public string Value { get; set; } = "";
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
            output.WriteLine($"| {r.Trainer} | " + string.Join(" | ", keys.Select(k => !r.Metrics.TryGetValue(k, out double v) ? "" : v.ToString(k == "rmse" || k == "mae" ? "F3" : "F4", CultureInfo.InvariantCulture))) +
                             $" | {r.TrainSeconds.ToString("F2", CultureInfo.InvariantCulture)} | {r.PredictRowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} |");
        }
    }

    /// <summary>
    /// One table per task: data set × trainer, the primary metric (AUC for binary, RMSE for regression, micro accuracy for
    /// multiclass; the best of a row in bold), then the same for the mean training seconds.
    /// </summary>
    public static void PrintSummary(TextWriter output, List<TrainerResult> results)
    {
        foreach (IGrouping<string, TrainerResult> task in results.GroupBy(r => r.Task))
        {
            bool binary = task.Key != "regression";   // higher is better
            string metric = PrimaryMetric(task.Key);
            string[] trainers = [.. task.Select(r => r.Trainer).Distinct()];
            string[] sets = [.. task.Select(r => r.Dataset).Distinct()];
            foreach ((string title, Func<TrainerResult, double> value, string format, bool bold) in new (string, Func<TrainerResult, double>, string, bool)[]
            {
                ($"{Title(metric)} ({(binary ? "higher" : "lower")} is better)", r => r.Metrics[metric], binary ? "F4" : "G5", true),
                ("training seconds", r => r.TrainSeconds, "F2", false),
            })
            {
                output.WriteLine();
                output.WriteLine($"### Summary, {task.Key}: {title}, mean of the splits");
                output.WriteLine();
                output.WriteLine("| data set | " + string.Join(" | ", trainers) + " |");
                output.WriteLine("|---|" + string.Concat(trainers.Select(_ => "---:|")));
                foreach (string set in sets)
                {
                    var row = task.Where(r => r.Dataset == set).ToDictionary(r => r.Trainer, value);
                    double best = binary ? row.Values.Max() : row.Values.Min();
                    output.WriteLine($"| {set} | " + string.Join(" | ", trainers.Select(t => !row.TryGetValue(t, out double v) ? "" :
                        (bold && v == best ? $"**{v.ToString(format, CultureInfo.InvariantCulture)}**" : v.ToString(format, CultureInfo.InvariantCulture)))) + " |");
                }
            }
        }
    }

    /// <summary>The headline metric of a task: AUC, RMSE or micro accuracy.</summary>
    public static string PrimaryMetric(string task) => task switch
    {
        "binary" => "auc",
        "regression" => "rmse",
        _ => "microAccuracy",
    };

    public static string Title(string key) => key switch
    {
        "microAccuracy" => "micro accuracy",
        "macroAccuracy" => "macro accuracy",
        "auc" => "AUC",
        "accuracy" => "accuracy",
        "f1" => "F1",
        "logLoss" => "log-loss",
        "rmse" => "RMSE",
        "mae" => "MAE",
        "r2" => "R²",
        _ => key,
    };
}

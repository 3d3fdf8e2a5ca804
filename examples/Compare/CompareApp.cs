using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Spectre.Console;

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

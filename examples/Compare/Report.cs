using System.Globalization;

namespace TinyNet.Examples.Compare;

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

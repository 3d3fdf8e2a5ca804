using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TinyNet.Benchmarks;

/// <summary>Samples/s and GFLOP/s of an epoch of N rows, from the benchmark's mean time and its D and H (4·N·D·H flops).</summary>
public sealed class ThroughputColumn(bool gflops) : IColumn
{
    public string Id => gflops ? "GFLOPs" : "SamplesPerSecond";

    public string ColumnName => gflops ? "GFLOP/s" : "samples/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => gflops ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => gflops ? "4·N·D·H / mean time, in 10⁹ per second" : "N / mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (mean is not { } ns || Shape(benchmarkCase) is not ({ } d, { } h))
        {
            return "-";
        }

        double seconds = ns / 1e9;
        return gflops
            ? (4.0 * TeacherData.N * d * h / seconds / 1e9).ToString("F1", CultureInfo.InvariantCulture)
            : (TeacherData.N / seconds).ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>D and H from the case's parameters: D and H, or Shape = "DxH".</summary>
    private static (double? D, double? H) Shape(BenchmarkCase benchmarkCase)
    {
        var items = benchmarkCase.Parameters.Items;
        if (items.FirstOrDefault(p => p.Name == "Shape")?.Value is string shape)
        {
            string[] parts = shape.Split('x');
            return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        return items.Any(p => p.Name == "D")
            ? (Convert.ToDouble(benchmarkCase.Parameters["D"], CultureInfo.InvariantCulture), Convert.ToDouble(benchmarkCase.Parameters["H"], CultureInfo.InvariantCulture))
            : (null, null);
    }
}

/// <summary>A value computed once per case in its setup (held-out AUC, rows per second) and shown beside the timings.</summary>
public sealed class RecordedColumn(string name, string legend) : IColumn
{
    public static readonly Dictionary<string, string> Values = [];

    public string Id => name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public static void Record(string column, string trainer, string value)
    {
        lock (Values)
        {
            Values[column + "/" + trainer] = value;
        }

        // Out-of-process runs: the host reads the value back from the log line.
        Console.WriteLine($"// recorded {column}/{trainer} = {value}");
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        string trainer = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Trainer")?.Value?.ToString() ?? "";
        string key = name + "/" + trainer;
        lock (Values)
        {
            if (Values.TryGetValue(key, out string? value))
            {
                return value;
            }
        }

        string? line = summary[benchmarkCase]?.ExecuteResults.SelectMany(r => r.StandardOutput).LastOrDefault(l => l.StartsWith($"// recorded {key} = ", StringComparison.Ordinal));
        return line?[$"// recorded {key} = ".Length..] ?? "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>A column computed from the case and its statistics.</summary>
public class ComputedColumn(string name, string legend, Func<Summary, BenchmarkCase, string> value) : IColumn
{
    public string Id => "Computed" + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => value(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => value(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Seconds per epoch and GFLOP/s of a <see cref="TrainUserPath"/> case (one operation = a Train call of its epochs).</summary>
public sealed class EpochColumn() : ComputedColumn("s/epoch (GFLOP/s)", "median Train time / epochs; 4·N·D·H per epoch", (summary, c) =>
{
    if (summary[c]?.ResultStatistics?.Median is not { } ns)
    {
        return "-";
    }

    (int d, int h) = UserPathTiming.Parse((string)c.Parameters["Shape"]);
    double perEpoch = ns / 1e9 / TrainUserPath.Epochs;
    return string.Create(CultureInfo.InvariantCulture, $"{perEpoch:F4} ({4.0 * TeacherData.N * d * h / perEpoch / 1e9:F1})");
});

/// <summary>The vector width the engine's kernels ran at (the runtime's switches are inherited by the benchmark process).</summary>
public sealed class WidthColumn() : ComputedColumn("width", "the kernels' vector width", (_, _) => Kernels.Best.Width);

/// <summary>The threads a step of the case's batch uses with Threads = 0 (as many as pay off).</summary>
public sealed class ThreadsColumn() : ComputedColumn("threads", "threads a step uses with Threads = 0 (one per core; ≥ 64 rows and 2^18 multiply-adds each)", (_, c) =>
{
    (int d, int h) = UserPathTiming.Parse((string)c.Parameters["Shape"]);
    int batch = Convert.ToInt32(c.Parameters["B"], CultureInfo.InvariantCulture);
    return UserPathTiming.StepThreads(d, h, batch, 0).ToString(CultureInfo.InvariantCulture);
});

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

namespace TinyNet.Examples.Compare;

/// <summary>One split's metrics and timings for one trainer.</summary>
internal sealed record SplitResult(Dictionary<string, double> Metrics, double TrainSeconds, double PredictRowsPerSecond);

/// <summary>A trainer's averages over the splits, as printed and written to --json.</summary>
internal sealed record TrainerResult(string Dataset, string Task, string Trainer, int Splits, Dictionary<string, double> Metrics, double TrainSeconds, double PredictRowsPerSecond)
{
    public static TrainerResult Average(DataSpec spec, string trainer, List<SplitResult> splits) => new(
        spec.Name, spec.Task.ToString().ToLowerInvariant(), trainer, splits.Count,
        splits[0].Metrics.Keys.ToDictionary(k => k, k => splits.Average(s => s.Metrics[k])),
        splits.Average(s => s.TrainSeconds), splits.Average(s => s.PredictRowsPerSecond));
}

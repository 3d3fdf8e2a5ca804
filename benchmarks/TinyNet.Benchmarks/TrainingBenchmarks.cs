using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace TinyNet.Benchmarks;

/// <summary>Shared set-up: one epoch of N = 100,000 teacher rows, plain SGD, no shuffling, on a prepared engine.</summary>
public abstract class EpochBenchmarkBase
{
    private IEngine _engine = null!;
    private int[] _order = null!;

    public abstract int D { get; set; }

    public abstract int H { get; set; }

    public abstract int Batch { get; set; }

    protected void Setup(Head head, Engine engine, int threads)
    {
        DataSet data = TeacherData.Create(TeacherData.N, D, head, seed: 1);
        var options = new TrainerOptions { Head = head, HiddenUnits = H, BatchSize = Batch, Optimizer = Optimizer.Sgd, LearningRate = 1e-3, Threads = threads };
        Network initial = Network.CreateRandom(D, H, head, seed: 2);
        _engine = engine == Engine.Reference ? new ReferenceEngine(initial, data, options) : new FastEngine(initial, data, options);
        _order = [.. Enumerable.Range(0, TeacherData.N)];
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    /// <summary>One epoch: N / B optimiser steps.</summary>
    [Benchmark]
    public double Epoch()
    {
        double loss = 0;
        for (int start = 0; start < TeacherData.N; start += Batch)
        {
            loss += _engine.Step(_order.AsSpan(start, Math.Min(Batch, TeacherData.N - start)), 1e-3);
        }

        return loss;
    }
}

/// <summary>
/// The fast engine's training throughput grid: D ∈ {10, 100}, H ∈ {8, 64, 256}, B ∈ {1, 32, 256, 4096}, both heads,
/// 1 and 2 threads. MemoryDiagnoser shows the allocation of a whole epoch of steps: none.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TrainingGrid : EpochBenchmarkBase
{
    [Params(10, 100)]
    public override int D { get; set; }

    [Params(8, 64, 256)]
    public override int H { get; set; }

    [Params(1, 32, 256, 4096)]
    public override int Batch { get; set; }

    [Params(Head.Regression, Head.BinaryClassification)]
    public Head Head { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => Setup(Head, Engine.Fast, Threads);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn(gflops: false), new ThroughputColumn(gflops: true));
        }
    }
}

/// <summary>The double reference (the oracle, written like the notes) at a few points, for scale.</summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ReferenceEpoch : EpochBenchmarkBase
{
    [Params(10, 100)]
    public override int D { get; set; }

    [Params(8, 64)]
    public override int H { get; set; }

    [Params(32, 256)]
    public override int Batch { get; set; }

    [Params("reference", "fast-2")]
    public string Engine { get; set; } = "reference";

    [GlobalSetup]
    public void Setup() => Setup(Head.BinaryClassification, Engine == "reference" ? TinyNet.Engine.Reference : TinyNet.Engine.Fast, 2);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn(gflops: false), new ThroughputColumn(gflops: true));
        }
    }
}

using BenchmarkDotNet.Attributes;

namespace TinyNet.Benchmarks;

/// <summary>
/// One training epoch (N = 100,000 rows, plain SGD, no shuffle) of the engines, measured step by step on a prepared
/// engine so that MemoryDiagnoser shows the allocation per epoch of steps (zero for the fast engine).
/// FLOPs per epoch are counted as 4·N·D·H (forward multiply-adds and those of ∂L/∂w1).
/// </summary>
[MemoryDiagnoser]
public class EpochBenchmarks
{
    private const int N = 100_000;
    private IEngine _engine = null!;
    private int[] _order = null!;

    [Params(100)]
    public int D { get; set; }

    [Params(64)]
    public int H { get; set; }

    [Params(256)]
    public int Batch { get; set; }

    [Params("fast-1", "fast-2", "reference")]
    public string Engine { get; set; } = "fast-2";

    [GlobalSetup]
    public void Setup()
    {
        DataSet data = TeacherData.Create(N, D, Head.BinaryClassification, seed: 1);
        var options = new TrainerOptions
        {
            Head = Head.BinaryClassification, HiddenUnits = H, BatchSize = Batch, Optimizer = Optimizer.Sgd, LearningRate = 1e-3,
            Threads = Engine == "fast-1" ? 1 : 2,
        };
        Network initial = Network.CreateRandom(D, H, Head.BinaryClassification, seed: 2);
        _engine = Engine == "reference" ? new ReferenceEngine(initial, data, options) : new FastEngine(initial, data, options);
        _order = Enumerable.Range(0, N).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark]
    public double Epoch()
    {
        double loss = 0;
        for (int start = 0; start < N; start += Batch)
        {
            loss += _engine.Step(_order.AsSpan(start, Math.Min(Batch, N - start)), 1e-3);
        }

        return loss;
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace TinyNet.Benchmarks;

/// <summary>
/// The quick mode: only the points of the TorchSharp table (binary head, 2 threads), about two minutes with
/// <c>--job short</c>. The full grid is <see cref="TrainingGrid"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TorchSharpPoints : EpochBenchmarkBase
{
    public override int D { get; set; }

    public override int H { get; set; }

    public override int Batch { get; set; }

    /// <summary>(D, H) of the TorchSharp table.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "10x8";

    [Params(1, 32, 256, 4096)]
    public int B { get; set; }

    public static IEnumerable<string> Shapes => ["10x8", "10x64", "100x64", "100x256"];

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        D = int.Parse(parts[0]);
        H = int.Parse(parts[1]);
        Batch = B;
        Setup(Head.BinaryClassification, Engine.Fast, threads: 2);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn(gflops: false), new ThroughputColumn(gflops: true));
    }
}

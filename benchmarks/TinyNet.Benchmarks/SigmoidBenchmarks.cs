using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace TinyNet.Benchmarks;

/// <summary>
/// The engine's own vectorised sigmoid (Kernels.Sigmoid: Cody–Waite exp, degree-6 polynomial) against
/// TensorPrimitives.Sigmoid, on one chunk of activations (256 rows × 256 hidden units), at the width the runtime picks:
/// run it again with DOTNET_EnableAVX512=0 and DOTNET_EnableAVX2=0 to compare every width.
/// </summary>
[Config(typeof(Config))]
public class SigmoidBenchmarks
{
    private readonly float[] _z = new float[256 * 256];
    private readonly float[] _a = new float[256 * 256];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _z.Length; i++)
        {
            _z[i] = (float)(random.NextDouble() * 16 - 8);
        }
    }

    [Benchmark(Baseline = true)]
    public float Own()
    {
        _z.AsSpan().CopyTo(_a);
        Kernels.Best.Sigmoid(_a);
        return _a[^1];
    }

    [Benchmark]
    public float TensorPrimitivesSigmoid()
    {
        _z.AsSpan().CopyTo(_a);                 // the same copy as Own: both work in place, as the engine does
        TensorPrimitives.Sigmoid(_a, _a);
        return _a[^1];
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new WidthColumn());
    }
}

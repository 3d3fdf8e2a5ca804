using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace TinyNet.Benchmarks;

/// <summary>
/// The path users run: <see cref="Trainer.Train(DataSet, TrainerOptions, DataSet?, IProgress{TrainingProgress}?, CancellationToken)"/>
/// with shuffled epochs, plain SGD, binary head, N = 100,000 teacher rows, default threads (0: as many as pay off). One
/// benchmark operation is a whole Train call of <see cref="Epochs"/> epochs; the columns divide by it.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class TrainUserPath
{
    public const int Epochs = 3;
    private DataSet _data = null!;
    private TrainerOptions _options = null!;

    [Params("10x8", "10x64", "100x64", "100x256")]
    public string Shape { get; set; } = "100x256";

    [Params(1, 32, 256, 4096)]
    public int B { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (int d, int h) = UserPathTiming.Parse(Shape);
        _data = TeacherData.Create(TeacherData.N, d, Head.BinaryClassification, seed: 1);
        _options = UserPathTiming.Options(h, B, Epochs, threads: 0);
    }

    [Benchmark]
    public TrainingResult Train() => Trainer.Train(_data, _options);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new EpochColumn(), new WidthColumn(), new ThreadsColumn());
    }
}

/// <summary>
/// A stopwatch timing of the user path, one configuration per process, for the peer comparison script
/// (benchmarks/compare-peers.sh) which runs it beside the TorchSharp peer: <c>--user-path D H B threads epochs repeats</c>.
/// Prints one line: "tinynet WIDTH threads=T D=.. H=.. B=..: median S s/epoch".
/// </summary>
internal static class UserPathTiming
{
    public static (int D, int H) Parse(string shape)
    {
        string[] parts = shape.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public static TrainerOptions Options(int h, int batch, int epochs, int threads) => new()
    {
        Head = Head.BinaryClassification, HiddenUnits = h, BatchSize = batch, Optimizer = Optimizer.Sgd, LearningRate = 1e-3,
        Epochs = epochs, Shuffle = true, Threads = threads, Seed = 2,
    };

    /// <summary>The threads one step uses for this shape, batch and thread option.</summary>
    public static int StepThreads(int d, int h, int batch, int threads) =>
        FastEngine.StepThreads(FastEngine.ThreadsFor(threads, batch), batch, ParameterLayout.RoundUp(d, ParameterLayout.RowTile), ParameterLayout.RoundUp(h, ParameterLayout.Lanes));

    public static void Run(string[] args)
    {
        int d = int.Parse(args[1], CultureInfo.InvariantCulture), h = int.Parse(args[2], CultureInfo.InvariantCulture);
        int batch = int.Parse(args[3], CultureInfo.InvariantCulture), threads = int.Parse(args[4], CultureInfo.InvariantCulture);
        int epochs = int.Parse(args[5], CultureInfo.InvariantCulture), repeats = int.Parse(args[6], CultureInfo.InvariantCulture);
        DataSet data = TeacherData.Create(TeacherData.N, d, Head.BinaryClassification, seed: 1);
        (double median, double min, _) = Measure(data, e => Options(h, batch, e, threads), epochs, repeats);
        int used = StepThreads(d, h, batch, threads);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tinynet {Kernels.Best.Width} threads={used} D={d} H={h} B={batch}: median {median:F4} s/epoch, min {min:F4}, {4.0 * TeacherData.N * d * h / median / 1e9:F1} GFLOP/s"));
    }

    /// <summary>
    /// Seconds per epoch of whole <c>Trainer.Train</c> calls of <paramref name="epochs"/> epochs, median and minimum over
    /// <paramref name="repeats"/> calls, after a warm-up of at least three one-epoch calls and one second (JIT: tiered
    /// compilation promotes the hot methods after ~100 ms of calls; a user's first Train call in a process pays this once).
    /// Also the last call's result.
    /// </summary>
    public static (double Median, double Min, TrainingResult Last) Measure(DataSet data, Func<int, TrainerOptions> options, int epochs, int repeats)
    {
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 3 || warmUp.Elapsed.TotalSeconds < 1; i++)
        {
            Trainer.Train(data, options(1));
        }

        var perEpoch = new List<double>();
        TrainingResult? last = null;
        for (int r = 0; r < repeats; r++)
        {
            var stopwatch = Stopwatch.StartNew();
            last = Trainer.Train(data, options(epochs));
            perEpoch.Add(stopwatch.Elapsed.TotalSeconds / epochs);
        }

        perEpoch.Sort();
        return (perEpoch[perEpoch.Count / 2], perEpoch[0], last!);
    }
}

/// <summary>
/// The multiclass user path in BenchmarkDotNet: <c>Trainer.Train</c> with the softmax head, plain SGD, shuffled
/// epochs, N = 100,000 teacher rows cut into K equal classes, D = 100, H = 64, default threads. One operation is a whole
/// Train call of <see cref="Epochs"/> epochs. The peer comparison is benchmarks/compare-multiclass.sh.
/// </summary>
[MemoryDiagnoser]
public class TrainMulticlass
{
    public const int Epochs = 3;
    private DataSet _data = null!;
    private TrainerOptions _options = null!;

    [Params(3, 10, 26)]
    public int K { get; set; }

    [Params(32, 256)]
    public int B { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (float[] x, float[] y) = TeacherData.GenerateClasses(TeacherData.N, 100, K, seed: 1);
        _data = DataSet.FromRowMajor(x, 100, y);
        _options = MulticlassTiming.Options(64, B, Epochs, threads: 0);
    }

    [Benchmark]
    public TrainingResult Train() => Trainer.Train(_data, _options);
}

/// <summary>
/// The multiclass user path, one configuration per process, for benchmarks/compare-multiclass.sh, beside the
/// TorchSharp peer's softmax + CrossEntropyLoss: <c>--multiclass-path D H K B threads epochs repeats</c>. Trainer.Train
/// with the softmax head, plain SGD, shuffled epochs, N = 100,000 teacher rows cut into K equal classes. Prints one line:
/// "tinynet WIDTH threads=T D=.. H=.. K=.. B=..: median S s/epoch".
/// </summary>
internal static class MulticlassTiming
{
    public static TrainerOptions Options(int h, int batch, int epochs, int threads) => new()
    {
        Head = Head.MulticlassClassification, HiddenUnits = h, BatchSize = batch, Optimizer = Optimizer.Sgd, LearningRate = 1e-3,
        Epochs = epochs, Shuffle = true, Threads = threads, Seed = 2,
    };

    public static void Run(string[] args)
    {
        int[] a = [.. args.Skip(1).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        (int d, int h, int k, int batch, int threads, int epochs, int repeats) = (a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
        (float[] x, float[] y) = TeacherData.GenerateClasses(TeacherData.N, d, k, seed: 1);
        (double median, double min, TrainingResult last) = UserPathTiming.Measure(DataSet.FromRowMajor(x, d, y), e => Options(h, batch, e, threads), epochs, repeats);
        int used = UserPathTiming.StepThreads(d, h, batch, threads);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tinynet {Kernels.Best.Width} threads={used} D={d} H={h} K={k} B={batch}: median {median:F4} s/epoch, min {min:F4}, loss after {epochs} epochs {last.History.TrainingLoss[^1]:F4}"));
    }
}

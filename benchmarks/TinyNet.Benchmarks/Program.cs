using System.Diagnostics;
using BenchmarkDotNet.Running;
using TinyNet.Benchmarks;

if (args.Length > 0 && args[0] == "--quick-epoch")
{
    // A plain stopwatch look at one configuration (not a benchmark): dotnet run -c Release -- --quick-epoch D H B engine
    var bench = new EpochBenchmarks { D = int.Parse(args[1]), H = int.Parse(args[2]), Batch = int.Parse(args[3]), Engine = args[4] };
    bench.Setup();
    var times = new List<double>();
    for (int i = 0; i < 15; i++)
    {
        var sw = Stopwatch.StartNew();
        bench.Epoch();
        times.Add(sw.Elapsed.TotalSeconds);
    }

    times.Sort();
    double s = times[times.Count / 2];
    Console.WriteLine($"{args[4]} D={bench.D} H={bench.H} B={bench.Batch}: median {s:F4} s/epoch, {100_000 / s:N0} samples/s, {4.0 * 100_000 * bench.D * bench.H / s / 1e9:F1} GFLOP/s");

    bench.Cleanup();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(EpochBenchmarks).Assembly).Run(args);

using System.Diagnostics;
using BenchmarkDotNet.Running;
using TinyNet;
using TinyNet.Benchmarks;

if (args.Length > 0 && args[0] == "--user-path")
{
    UserPathTiming.Run(args);
    return;
}

if (args.Length > 0 && args[0] == "--multiclass-path")
{
    MulticlassTiming.Run(args);
    return;
}

if (args.Length > 0 && args[0] == "--onnx-scoring")
{
    OnnxScoring.Run();
    return;
}

if (args.Length > 0 && args[0] == "--fit-time")
{
    FitTime.Run(args);
    return;
}

if (args.Length > 0 && args[0] == "--quick-epoch")
{
    // A plain stopwatch look at one configuration (not a benchmark): dotnet run -c Release -- --quick-epoch D H B engine
    var bench = new TrainingGrid { D = int.Parse(args[1]), H = int.Parse(args[2]), Batch = int.Parse(args[3]), Head = Head.BinaryClassification };
    if (args[4] == "reference")
    {
        Console.Error.WriteLine("use the ReferenceEpoch benchmark for the reference engine");
        return;
    }

    bench.Threads = args[4] == "fast-1" ? 1 : 2;
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
    Console.WriteLine($"{args[4]} D={bench.D} H={bench.H} B={bench.Batch}: median {s:F4} s/epoch, {TeacherData.N / s:N0} samples/s, {4.0 * TeacherData.N * bench.D * bench.H / s / 1e9:F1} GFLOP/s");

    bench.Cleanup();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(TrainingGrid).Assembly).Run(args);

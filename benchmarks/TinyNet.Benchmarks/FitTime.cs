using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using TinyNet.MLNet;

namespace TinyNet.Benchmarks;

/// <summary>
/// The defaults' speed target, measured the way users run it: <c>Fit(train)</c> of the ML.NET trainers
/// with their defaults (no options) on teacher data with D = 100, N training rows, for both heads, beside L-BFGS / SDCA
/// and LightGBM in the same run. Each Fit is timed <c>repeats</c> times after one warm-up Fit on 1,000 rows; the median
/// is printed with the epochs TinyNet ran and the held-out quality (20,000 rows). A stopwatch, not BenchmarkDotNet:
/// one Fit takes seconds.
/// <code>dotnet run -c Release --project benchmarks/TinyNet.Benchmarks -- --fit-time 50000 3</code>
/// </summary>
internal static class FitTime
{
    public static void Run(string[] args)
    {
        int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        Console.WriteLine($"Fit(train) with defaults, D = {TeacherData.Row.Dimension}, N = {n:N0} training rows, 20,000 held out; median of {repeats}; " +
                          $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, " +
                          $"Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");
        foreach (bool binary in new[] { true, false })
        {
            var ml = new MLContext(seed: 0);
            (IDataView train, IDataView test) = Data(ml, n, binary);
            (IDataView warmTrain, _) = Data(ml, 1_000, binary);
            string[] trainers = binary ? ["tinynet", "lbfgs", "lightgbm"] : ["tinynet", "sdca", "lightgbm"];
            foreach (string name in trainers)
            {
                Create(ml, name, binary).Fit(warmTrain);
                var times = new List<double>();
                ITransformer model = null!;
                for (int r = 0; r < repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    model = Create(ml, name, binary).Fit(train);
                    times.Add(clock.Elapsed.TotalSeconds);
                }

                times.Sort();
                IDataView scored = model.Transform(test);
                string quality = binary
                    ? $"AUC {ml.BinaryClassification.EvaluateNonCalibrated(scored).AreaUnderRocCurve:F4}"
                    : $"RMSE {ml.Regression.Evaluate(scored).RootMeanSquaredError:F4}";
                string epochs = model is TinyNetPredictionTransformer t && t.Model.History is { } h ? $", {h.EpochCount} epochs (best {h.BestEpoch})" : "";
                Console.WriteLine($"{(binary ? "binary" : "regression"),-10} {name,-9} {times[times.Count / 2],7:F2} s (min {times[0]:F2}, max {times[^1]:F2}), {quality}{epochs}");
            }
        }
    }

    private static IEstimator<ITransformer> Create(MLContext ml, string name, bool binary) => (binary, name) switch
    {
        (true, _) => BinaryTrainers.Create(ml, name),
        (false, "tinynet") => ml.Regression.Trainers.TinyNet(),
        (false, "sdca") => ml.Regression.Trainers.Sdca(),
        (false, "lightgbm") => ml.Regression.Trainers.LightGbm(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "tinynet, sdca or lightgbm"),
    };

    /// <summary>N training rows and 20,000 held-out rows of the teacher data (binary: TeacherData.View), cached and read once.</summary>
    private static (IDataView Train, IDataView Test) Data(MLContext ml, int n, bool binary)
    {
        IDataView all = binary ? TeacherData.View(ml, n + 20_000, seed: 3) : RegressionView(ml, n + 20_000);
        return (BinaryTrainers.Materialize(ml.Data.Cache(ml.Data.TakeRows(all, n))), BinaryTrainers.Materialize(ml.Data.Cache(ml.Data.SkipRows(all, n))));
    }

    private static IDataView RegressionView(MLContext ml, int n)
    {
        int d = TeacherData.Row.Dimension;
        (float[] x, float[] y) = TeacherData.Generate(n, d, Head.Regression, seed: 3);
        var rows = new RegressionRow[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new RegressionRow { Label = y[i], Features = x.AsSpan(i * d, d).ToArray() };
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }

        [VectorType(TeacherData.Row.Dimension)]
        public float[] Features { get; set; } = [];
    }
}

using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace TinyNet.Benchmarks;

/// <summary>
/// Scoring a TinyNet model (D = 100, H = 32, binary, teacher data) through ONNX Runtime (the model
/// exported with ConvertToOnnxWithTinyNet) against ML.NET's Transform + a cursor over Score and a PredictionEngine, for a
/// batch of 10,000 rows and for one row at a time. A stopwatch over warm runs (median of 7), not BenchmarkDotNet.
/// <code>dotnet run -c Release --project benchmarks/TinyNet.Benchmarks -- --onnx-scoring</code>
/// </summary>
internal static class OnnxScoring
{
    private const int Rows = 10_000;

    public static void Run()
    {
        var ml = new MLContext(seed: 0);
        IDataView all = TeacherData.View(ml, 20_000 + Rows, seed: 3);
        IDataView train = ml.Data.Cache(ml.Data.TakeRows(all, 20_000));
        IDataView test = ml.Data.Cache(ml.Data.SkipRows(all, 20_000));
        var model = ml.BinaryClassification.Trainers.TinyNet().Fit(train);
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-bench-{Guid.NewGuid():N}.onnx");
        using (FileStream f = File.Create(path))
        {
            ml.Model.ConvertToOnnxWithTinyNet(model, train, f);
        }

        float[] features = [.. ml.Data.CreateEnumerable<TeacherData.Row>(test, reuseRowObject: false).SelectMany(r => r.Features)];
        int d = TeacherData.Row.Dimension;
        using var session = new InferenceSession(path);
        var batch = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(features, [Rows, d])) };

        double ort = Median(() =>
        {
            using var results = session.Run(batch, ["Score"]);
            _ = results[0].AsTensor<float>()[0, 0];
        });
        double mlnet = Median(() =>
        {
            IDataView scored = model.Transform(test);
            using DataViewRowCursor cursor = scored.GetRowCursor([scored.Schema["Score"]]);
            ValueGetter<float> get = cursor.GetGetter<float>(scored.Schema["Score"]);
            float v = 0;
            while (cursor.MoveNext())
            {
                get(ref v);
            }
        });

        var engine = ml.Model.CreatePredictionEngine<TeacherData.Row, Prediction>(model);
        TeacherData.Row row = ml.Data.CreateEnumerable<TeacherData.Row>(test, reuseRowObject: false).First();
        var one = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(row.Features, [1, d])) };
        const int Singles = 20_000;
        double ortOne = Median(() =>
        {
            for (int i = 0; i < Singles; i++)
            {
                using var results = session.Run(one, ["Score"]);
            }
        }) / Singles;
        double engineOne = Median(() =>
        {
            for (int i = 0; i < Singles; i++)
            {
                _ = engine.Predict(row).Score;
            }
        }) / Singles;

        Console.WriteLine($"TinyNet D = {d}, H = {model.Model.HiddenCount}, binary; {Environment.ProcessorCount} cores; ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version}");
        Console.WriteLine($"batch of {Rows:N0}: ONNX Runtime {ort * 1e3:F2} ms ({Rows / ort:N0} rows/s); ML.NET Transform + cursor {mlnet * 1e3:F2} ms ({Rows / mlnet:N0} rows/s)");
        Console.WriteLine($"one row: ONNX Runtime {ortOne * 1e6:F1} µs; ML.NET PredictionEngine {engineOne * 1e6:F1} µs");
        File.Delete(path);
    }

    private static double Median(Action action)
    {
        action();
        var times = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }
}

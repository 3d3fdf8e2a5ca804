using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace TinyNet.MLNet.Onnx.Tests;

/// <summary>
/// The files a service loads: the README's pipelines (multiclass ending in MapKeyToValue; binary with one-hot categoricals
/// and missing values; regression) export with only the raw feature columns as inputs and only the scoring columns as
/// outputs, open in ONNX Runtime without a warning, and give ML.NET's class values; the intermediates stay on request.
/// Set TINYNET_ONNX_EXPORT_DIR to keep the files for the external check (scripts/onnx-check.sh: onnx.checker, full check).
/// </summary>
public sealed class OnnxModelEditorTests : IDisposable
{
    private readonly string _folder = Environment.GetEnvironmentVariable("TINYNET_ONNX_EXPORT_DIR") is { Length: > 0 } keep
        ? Directory.CreateDirectory(keep).FullName
        : Directory.CreateTempSubdirectory("tinynet-onnx-edit-").FullName;

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("TINYNET_ONNX_EXPORT_DIR") is not { Length: > 0 })
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static readonly string[] IrisFeatures = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"];

    private static (MLContext Ml, IDataView Data, ITransformer Model) Iris(string keyToValueOutput = "PredictedClass")
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Load(ml, "iris");
        ITransformer model = ml.Transforms.Conversion.MapValueToKey("Label", "class")
            .Append(ml.Transforms.Concatenate("Features", IrisFeatures))
            .Append(ml.MulticlassClassification.Trainers.TinyNet(new TinyNetMulticlassTrainer.Options { NumberOfIterations = 30, Seed = 1 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue(keyToValueOutput, "PredictedLabel"))
            .Fit(data);
        return (ml, data, model);
    }

    [Fact]
    public void A_multiclass_pipeline_ending_in_MapKeyToValue_gives_ML_NETs_class_names_from_the_features_alone()
    {
        (MLContext ml, IDataView data, ITransformer model) = Iris();
        string path = Export(ml, model, data, "iris-classes");
        using var session = new InferenceSession(path);
        Assert.Equal(IrisFeatures, session.InputMetadata.Keys);                     // not the label 'class'
        Assert.Equal(["Score", "PredictedLabel", "PredictedClass"], session.OutputMetadata.Keys);

        float[][] rows = [.. data.GetColumn<float>(IrisFeatures[0]).Select((_, i) => new float[4])];
        for (int j = 0; j < 4; j++)
        {
            float[] column = [.. data.GetColumn<float>(IrisFeatures[j])];
            for (int i = 0; i < rows.Length; i++)
            {
                rows[i][j] = column[i];
            }
        }

        rows[7][2] = float.NaN;                                                   // a NaN row: key 0, the empty class
        IDataView view = Rows(ml, rows);
        string[] expected = [.. model.Transform(view).GetColumn<string>("PredictedClass")];
        Assert.Equal("", expected[7]);
        Assert.Equal(3, expected.Distinct().Count(c => c.Length > 0));
        using var results = session.Run([.. IrisFeatures.Select((name, j) =>
            NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.Select(r => r[j]).ToArray(), [rows.Length, 1])))]);
        Assert.Equal(expected, results.First(r => r.Name == "PredictedClass").AsTensor<string>());
    }

    [Theory]
    [InlineData("Int64")]
    [InlineData("Single")]
    public void Numeric_class_values_come_out_in_their_own_type(string kind)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        NumericClassRow[] rows = [.. Enumerable.Range(0, 90).Select(i => new NumericClassRow
        {
            Id = (1L << 53) + 2 * (i % 3) + 1,
            Grade = 0.5f * (i % 3) + 0.25f,
            X = [(i % 3) + 0.1f * (float)random.NextDouble(), 1 - (i % 3) + 0.1f * (float)random.NextDouble()],
        })];
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        string label = kind == "Int64" ? "Id" : "Grade";
        ITransformer model = ml.Transforms.Conversion.MapValueToKey("Label", label)
            .Append(ml.MulticlassClassification.Trainers.TinyNet(new TinyNetMulticlassTrainer.Options { FeatureColumnName = "X", NumberOfIterations = 50 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("Predicted", "PredictedLabel"))
            .Fit(data);
        string path = Export(ml, model, data, "numeric-" + kind);
        using var session = new InferenceSession(path);
        Assert.Equal(["X"], session.InputMetadata.Keys);
        float[] x = [.. rows.SelectMany(r => r.X)];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("X", new DenseTensor<float>(x, [rows.Length, 2]))]);
        DisposableNamedOnnxValue predicted = results.First(r => r.Name == "Predicted");
        if (kind == "Int64")
        {
            Assert.Equal(model.Transform(data).GetColumn<long>("Predicted"), predicted.AsTensor<long>());
            Assert.Contains((1L << 53) + 5, predicted.AsTensor<long>());           // above 2⁵³, exactly
        }
        else
        {
            Assert.Equal(model.Transform(data).GetColumn<float>("Predicted"), predicted.AsTensor<float>());
        }
    }

    [Fact]
    public void By_default_the_graph_holds_only_what_scoring_needs_and_the_intermediates_stay_on_request()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = RealData.Load(ml, "credit_data");
        IDataView data = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("bad", true), new("good", false) }, "Status")
            .Fit(raw).Transform(raw);
        string[] numeric = RealData.Numeric(raw, "Status");
        string[] categorical = ["Home", "Marital", "Records", "Job"];
        ITransformer model = ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair(c + "_r", c))])
            .Append(ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c + "_1h", c))]))
            .Append(ml.Transforms.Concatenate("Features", [.. numeric.Select(c => c + "_r"), .. categorical.Select(c => c + "_1h")]))
            .Append(ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 5))
            .Fit(data);

        string scoring = Export(ml, model, data, "credit");
        (_, _, IReadOnlyList<string> outputs) = OnnxReader.Summary(File.ReadAllBytes(scoring));
        Assert.Equal(["Score", "Probability", "PredictedLabel"], outputs);       // was 37, with 15 *.unusedOutput
        using (var session = new InferenceSession(scoring))
        {
            Assert.Equal(numeric.Concat(categorical).Order(), session.InputMetadata.Keys.Order());   // not Status, not Label
        }

        string all = Path.Combine(_folder, "credit-intermediates.onnx");
        using (FileStream f = File.Create(all))
        {
            ml.Model.ConvertToOnnxWithTinyNet(model, data, f, keepIntermediateOutputs: true);
        }

        (_, _, outputs) = OnnxReader.Summary(File.ReadAllBytes(all));
        Assert.Contains("Features.output", outputs);
        Assert.Contains("Label.output", outputs);
        Assert.Equal(["Score", "Probability", "PredictedLabel"], outputs.TakeLast(3));
    }

    /// <summary>
    /// ONNX Runtime, at warning level, in a process of its own: nothing on its log for the scoring files (ML.NET's declared
    /// shapes gave 28 "MergeShapeInfo … lenient merge" warnings per session on a one-hot pipeline).
    /// </summary>
    [Fact]
    public void ONNX_Runtime_opens_the_scoring_files_without_a_warning()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = RealData.Load(ml, "credit_data");
        IDataView data = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("bad", true), new("good", false) }, "Status")
            .Fit(raw).Transform(raw);
        string[] categorical = ["Home", "Marital", "Records", "Job"];
        ITransformer binary = ml.Transforms.ReplaceMissingValues([.. RealData.Numeric(raw, "Status").Select(c => new InputOutputColumnPair(c, c))])
            .Append(ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c + "_1h", c))]))
            .Append(ml.Transforms.Concatenate("Features", [.. RealData.Numeric(raw, "Status"), .. categorical.Select(c => c + "_1h")]))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 3))
            .Fit(data);
        (MLContext irisMl, IDataView iris, ITransformer multiclass) = Iris();
        IDataView concrete = ml.Transforms.CopyColumns("Label", "compressive_strength").Fit(RealData.Load(ml, "concrete")).Transform(RealData.Load(ml, "concrete"));
        ITransformer regression = ml.Transforms.Concatenate("Features", RealData.Numeric(concrete, "compressive_strength").Where(c => c != "Label").ToArray())
            .Append(ml.Regression.Trainers.TinyNet(numberOfIterations: 3))
            .Fit(concrete);

        foreach (string path in new[] { Export(ml, binary, data, "binary-onehot"), Export(irisMl, multiclass, iris, "multiclass"), Export(ml, regression, concrete, "regression") })
        {
            (int exit, string stdout, string stderr) = TinyNet.Tests.Shared.ModelLoadProbeProcess.Run("onnx-session", path);
            Assert.True(exit == 0, $"{Path.GetFileName(path)}: the probe failed: {stderr}");
            Assert.Contains("outputs: Score", stdout);
            Assert.DoesNotContain("onnxruntime", stderr + stdout);              // ONNX Runtime's log lines name it: [W:onnxruntime:…]
        }
    }

    private string Export(MLContext ml, ITransformer model, IDataView data, string name)
    {
        string path = Path.Combine(_folder, name + ".onnx");
        using FileStream f = File.Create(path);
        ml.Model.ConvertToOnnxWithTinyNet(model, data, f);
        return path;
    }

    private static IDataView Rows(MLContext ml, float[][] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new IrisFeatureRow { sepal_length_cm = r[0], sepal_width_cm = r[1], petal_length_cm = r[2], petal_width_cm = r[3] }));

    private sealed class IrisFeatureRow
    {
#pragma warning disable IDE1006 // the data set's column names
        public float sepal_length_cm { get; set; }

        public float sepal_width_cm { get; set; }

        public float petal_length_cm { get; set; }

        public float petal_width_cm { get; set; }

        public string @class { get; set; } = "";   // ML.NET's pipeline reads it (MapValueToKey); the ONNX model does not
#pragma warning restore IDE1006
    }

    private sealed class NumericClassRow
    {
        public long Id { get; set; }

        public float Grade { get; set; }

        [VectorType(2)]
        public float[] X { get; set; } = [];
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TinyNet.MLNet.Onnx;

namespace TinyNet.MLNet.Onnx.Tests;

/// <summary>
/// Pipelines ending in TinyNet, exported with ConvertToOnnxWithTinyNet, give in ONNX Runtime the outputs ML.NET's
/// Transform gives, row by row, on real data (breast_cancer, credit_data with categoricals and missing values, concrete),
/// and load back into ML.NET with ApplyOnnxModel.
/// </summary>
public sealed class TinyNetOnnxExportTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    // Float tolerance: ML.NET scores through TinyNet's float32 SIMD scorer, ONNX Runtime through its own Gemm kernels;
    // the sums run in another order, so the last bits differ.
    private const float ScoreTolerance = 1e-4f;
    private const float ProbabilityTolerance = 1e-5f;

    private readonly string _folder = Directory.CreateTempSubdirectory("tinynet-onnx-").FullName;

    public static TheoryData<string> DataSets => new() { "breast_cancer", "credit_data", "concrete" };

    [Theory]
    [MemberData(nameof(DataSets))]
    public void The_exported_pipeline_scores_like_ML_NET_in_ONNX_Runtime(string name)
    {
        (MLContext ml, IDataView data, ITransformer model, bool binary) = Train(name);
        string path = Export(ml, model, data, name);
        float[] expected = Column<float>(ml, model.Transform(data), "Score");

        using var session = new InferenceSession(path);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(Inputs(session, ml, data));
        float[] score = [.. results.First(r => r.Name == "Score").AsTensor<float>()];
        Assert.Equal(expected.Length, score.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(score[i] - expected[i]) <= ScoreTolerance * Math.Max(1, Math.Abs(expected[i])), $"row {i}: ONNX {score[i]}, ML.NET {expected[i]}");
        }

        if (binary)
        {
            float[] probability = [.. results.First(r => r.Name == "Probability").AsTensor<float>()];
            bool[] predicted = [.. results.First(r => r.Name == "PredictedLabel").AsTensor<bool>()];
            float[] expectedProbability = Column<float>(ml, model.Transform(data), "Probability");
            bool[] expectedPredicted = Column<bool>(ml, model.Transform(data), "PredictedLabel");
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(probability[i] - expectedProbability[i]) <= ProbabilityTolerance, $"row {i}: ONNX {probability[i]}, ML.NET {expectedProbability[i]}");
                Assert.True(predicted[i] == expectedPredicted[i] || Math.Abs(expectedProbability[i] - 0.5f) < ProbabilityTolerance, $"row {i}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(DataSets))]
    public void The_exported_pipeline_loads_back_into_ML_NET_with_ApplyOnnxModel(string name)
    {
        (MLContext ml, IDataView data, ITransformer model, bool binary) = Train(name);
        string path = Export(ml, model, data, name);
        using var session = new InferenceSession(path);
        string[] inputs = [.. session.InputMetadata.Keys];
        string[] outputs = binary ? ["Score", "Probability"] : ["Score"];
        IDataView scored = ml.Transforms.ApplyOnnxModel(outputs, inputs, path).Fit(data).Transform(data);
        float[] expected = Column<float>(ml, model.Transform(data), "Score");
        float[] again = [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.GetValues()[0])];
        Assert.Equal(expected.Length, again.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(again[i] - expected[i]) <= ScoreTolerance * Math.Max(1, Math.Abs(expected[i])), $"row {i}: ApplyOnnxModel {again[i]}, ML.NET {expected[i]}");
        }
    }

    [Fact]
    public void The_model_declares_an_IR_version_and_opset_ONNX_Runtime_1_31_supports()
    {
        (MLContext ml, IDataView data, ITransformer model, _) = Train("breast_cancer");
        (long ir, long opset, IReadOnlyList<string> outputs) = OnnxReader.Summary(File.ReadAllBytes(Export(ml, model, data, "versions")));
        output.WriteLine($"IR version {ir}, default-domain opset {opset}");
        Assert.InRange(ir, 3, 11);          // ONNX Runtime 1.31 reads IR versions up to 11
        Assert.InRange(opset, 7, 23);       // and the default-domain opsets 7 to 23
        Assert.Contains("Score", outputs);
        Assert.Contains("Probability", outputs);
        Assert.Contains("PredictedLabel", outputs);
    }

    [Fact]
    public void TinyNet_alone_exports_with_its_feature_column_as_the_input()
    {
        (MLContext ml, IDataView data, ITransformer model, _) = Train("concrete");
        var chain = (TransformerChain<ITransformer>)model;
        ITransformer featurizer = new TransformerChain<ITransformer>([.. chain.Take(chain.Count() - 1)]);
        IDataView features = featurizer.Transform(data);
        var tinyNet = (TinyNetPredictionTransformer)chain.Last();
        string path = Path.Combine(_folder, "alone.onnx");
        using (FileStream f = File.Create(path))
        {
            ml.Model.ConvertToOnnxWithTinyNet(tinyNet, features, f);
        }

        using var session = new InferenceSession(path);
        Assert.Equal(["Features"], session.InputMetadata.Keys);
        float[] expected = Column<float>(ml, tinyNet.Transform(features), "Score");
        using var results = session.Run(Inputs(session, ml, features));
        float[] score = [.. results.First(r => r.Name == "Score").AsTensor<float>()];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(score[i] - expected[i]) <= ScoreTolerance * Math.Max(1, Math.Abs(expected[i])), $"row {i}: ONNX {score[i]}, ML.NET {expected[i]}");
        }
    }

    /// <summary>
    /// Multiclass: Softmax → Score, the K probabilities, and ArgMax + 1 → PredictedLabel, the key, against
    /// ML.NET row by row on iris, for the whole pipeline and for TinyNet alone.
    /// </summary>
    [Fact]
    public void A_multiclass_pipeline_scores_like_ML_NET_in_ONNX_Runtime()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = RealData.Load(ml, "iris");
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label", "class").Fit(raw).Transform(raw);
        var pipeline = ml.Transforms.Concatenate("Features", RealData.Numeric(raw, "class"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.TinyNet(new TinyNetMulticlassTrainer.Options { NumberOfIterations = 30, Seed = 1 }));
        TransformerChain<TinyNetPredictionTransformer> chain = pipeline.Fit(data);
        ITransformer model = chain;
        ITransformer featurizer = new TransformerChain<ITransformer>([.. chain.Take(chain.Count() - 1)]);
        foreach ((string path, IDataView input) in new[]
        {
            (Export(ml, model, data, "iris"), data),
            (ExportAlone(ml, chain.LastTransformer, featurizer.Transform(data)), featurizer.Transform(data)),
        })
        {
            IDataView scored = model.Transform(data);
            float[][] expected = [.. scored.GetColumn<float[]>("Score")];
            uint[] expectedKeys = Column<uint>(ml, scored, "PredictedLabel");
            using var session = new InferenceSession(path);
            using var results = session.Run(Inputs(session, ml, input));
            float[] score = [.. results.First(r => r.Name == "Score").AsTensor<float>()];
            uint[] keys = [.. results.First(r => r.Name == "PredictedLabel").AsTensor<uint>()];
            Assert.Equal(expected.Length * 3, score.Length);
            Assert.Equal(expectedKeys, keys);
            for (int i = 0; i < expected.Length; i++)
            {
                for (int k = 0; k < 3; k++)
                {
                    Assert.True(Math.Abs(score[i * 3 + k] - expected[i][k]) <= ProbabilityTolerance, $"row {i}, class {k}: ONNX {score[i * 3 + k]}, ML.NET {expected[i][k]}");
                }
            }
        }
    }

    /// <summary>
    /// Rows with a NaN feature get the PredictedLabel ML.NET gives: false for binary (a2 ≥ 0.5 is false for NaN; the graph
    /// used to say Not(Less(NaN, 0.5)) = true) and key 0, the missing value, for multiclass.
    /// </summary>
    [Fact]
    public void A_NaN_row_gets_the_predicted_label_ML_NET_gives()
    {
        (MLContext ml, IDataView data, ITransformer model, _) = Train("breast_cancer");
        var chain = (TransformerChain<ITransformer>)model;
        ITransformer featurizer = new TransformerChain<ITransformer>([.. chain.Take(chain.Count() - 1)]);
        var binary = (TinyNetPredictionTransformer)chain.Last();
        float[][] rows = WithNaNs(featurizer.Transform(data));
        IDataView view = Vectors(ml, rows);
        bool[] expected = Column<bool>(ml, binary.Transform(view), "PredictedLabel");
        Assert.False(expected[1]);
        Assert.False(expected[4]);
        using (var session = new InferenceSession(ExportAlone(ml, binary, view)))
        using (var results = session.Run(Inputs(session, ml, view)))
        {
            Assert.Equal(expected, results.First(r => r.Name == "PredictedLabel").AsTensor<bool>());
        }

        IDataView raw = RealData.Load(ml, "iris");
        IDataView iris = ml.Transforms.Conversion.MapValueToKey("Label", "class").Fit(raw).Transform(raw);
        ITransformer irisFeaturizer = ml.Transforms.Concatenate("Features", RealData.Numeric(raw, "class")).Fit(iris);
        IDataView irisFeatures = irisFeaturizer.Transform(iris);
        TinyNetPredictionTransformer multiclass = ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 10).Fit(irisFeatures);
        view = Vectors(ml, WithNaNs(irisFeatures));
        uint[] keys = Column<uint>(ml, multiclass.Transform(view), "PredictedLabel");
        Assert.Equal(0u, keys[1]);
        Assert.Equal(0u, keys[4]);
        Assert.NotEqual(0u, keys[0]);
        using (var session = new InferenceSession(ExportAlone(ml, multiclass, view)))
        using (var results = session.Run(Inputs(session, ml, view)))
        {
            Assert.Equal(keys, results.First(r => r.Name == "PredictedLabel").AsTensor<uint>());
        }
    }

    [Fact]
    public void A_CDF_normaliser_before_TinyNet_is_refused_by_name()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = RealData.Load(ml, "iris");
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label", "class").Fit(raw).Transform(raw);
        ITransformer model = ml.Transforms.Concatenate("Features", RealData.Numeric(raw, "class"))
            .Append(ml.Transforms.NormalizeLogMeanVariance("Features"))                   // useCdf: true by default
            .Append(ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 2))
            .Fit(data);
        var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnxWithTinyNet(model, data, new MemoryStream()));
        Assert.Contains("NormalizingTransformer", e.Message);
        Assert.Contains("normal CDF", e.Message);
        Assert.Contains("useCdf: false", e.Message);
    }

    /// <summary>The first six feature vectors, with row 1's first value and all of row 4 set to NaN.</summary>
    private static float[][] WithNaNs(IDataView features)
    {
        float[][] rows = [.. features.GetColumn<VBuffer<float>>("Features").Take(6).Select(v => v.DenseValues().ToArray())];
        rows[1][0] = float.NaN;
        Array.Fill(rows[4], float.NaN);
        return rows;
    }

    private static IDataView Vectors(MLContext ml, float[][] rows)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Length);
        return ml.Data.LoadFromEnumerable(rows.Select(r => new VectorRow { Features = r }), schema);
    }

    private sealed class VectorRow
    {
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void A_pipeline_that_does_not_end_in_TinyNet_is_refused()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Load(ml, "concrete");
        ITransformer model = ml.Transforms.Concatenate("Features", RealData.Numeric(data, "compressive_strength")).Fit(data);
        var e = Assert.Throws<ArgumentException>(() => ml.Model.ConvertToOnnxWithTinyNet(model, data, new MemoryStream()));
        Assert.Contains("not TinyNet", e.Message);
    }

    [Fact]
    public void A_step_ML_NET_cannot_export_is_refused_by_name_instead_of_a_graph_that_stops_there()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Transforms.CopyColumns("Label", "compressive_strength").Fit(RealData.Load(ml, "concrete")).Transform(RealData.Load(ml, "concrete"));
        string[] numeric = RealData.Numeric(data, "compressive_strength").Where(c => c != "Label").ToArray();
        ITransformer model = ml.Transforms.Concatenate("Raw", numeric)
            .Append(ml.Transforms.CustomMapping<RawRow, FeatureRow>((i, o) => o.Features = [.. i.Raw.Select(v => v / 100)], contractName: null))
            .Append(ml.Regression.Trainers.TinyNet(new TinyNetRegressionTrainer.Options { NumberOfIterations = 2 }))
            .Fit(data);
        var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnxWithTinyNet(model, data, new MemoryStream()));
        Assert.Contains("CustomMapping", e.Message);
        Assert.Contains("cannot be exported to ONNX", e.Message);
    }

    [Fact]
    public void ML_NETs_own_converter_still_writes_a_graph_without_the_network()
    {
        // Why the README warns: mlContext.Model.ConvertToOnnx cannot see inside TinyNet. It writes outputs named
        // Score.output and Probability.output, but they are not the network's. If this ever fails, ML.NET changed and
        // the warning should be revisited.
        (MLContext ml, IDataView data, ITransformer model, _) = Train("breast_cancer");
        string path = Path.Combine(_folder, "mlnet-own.onnx");
        using (FileStream f = File.Create(path))
        {
            ml.Model.ConvertToOnnx(model, data, f);
        }

        float[] expected = Column<float>(ml, model.Transform(data), "Probability");
        using var session = new InferenceSession(path);
        string wrong;
        string[] notRaw = [.. session.InputMetadata.Keys.Where(k => data.Schema.GetColumnOrNull(k) is null)];
        if (notRaw.Length > 0)
        {
            // The graph asks for the pipeline's intermediate columns as inputs: a service holding raw rows cannot run it.
            output.WriteLine($"ML.NET's ConvertToOnnx graph asks for {notRaw.Length} intermediate columns as inputs, e.g. {string.Join(", ", notRaw.Take(3))}");
            wrong = "intermediate inputs";
        }
        else
        {
            try
            {
                using var results = session.Run(Inputs(session, ml, data));
                DisposableNamedOnnxValue? probability = results.FirstOrDefault(r => r.Name == "Probability.output");
                float[] values = probability is null ? [] : [.. probability.AsTensor<float>()];
                int same = values.Length == expected.Length ? values.Where((v, i) => Math.Abs(v - expected[i]) <= ProbabilityTolerance).Count() : 0;
                output.WriteLine($"ML.NET's ConvertToOnnx: {same} of {expected.Length} probabilities right; outputs {string.Join(", ", results.Select(r => r.Name).TakeLast(4))}");
                wrong = same < expected.Length / 2 ? "wrong probabilities" : "";
            }
            catch (OnnxRuntimeException e)
            {
                output.WriteLine($"ML.NET's ConvertToOnnx graph does not run: {e.Message}");
                wrong = "does not run";
            }
        }

        Assert.NotEqual("", wrong);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string ExportAlone(MLContext ml, TinyNetPredictionTransformer tinyNet, IDataView features)
    {
        string path = Path.Combine(_folder, "alone-" + Guid.NewGuid().ToString("N") + ".onnx");
        using FileStream f = File.Create(path);
        ml.Model.ConvertToOnnxWithTinyNet(tinyNet, features, f);
        return path;
    }

    private string Export(MLContext ml, ITransformer model, IDataView data, string name)
    {
        string path = Path.Combine(_folder, name + ".onnx");
        using FileStream f = File.Create(path);
        ml.Model.ConvertToOnnxWithTinyNet(model, data, f);
        return path;
    }

    /// <summary>The README's kind of pipeline on a real set; the label is prepared before the exported pipeline.</summary>
    private static (MLContext Ml, IDataView Data, ITransformer Model, bool Binary) Train(string name)
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = RealData.Load(ml, name);
        (string label, string? positive, string[] text) = name switch
        {
            "breast_cancer" => ("diagnosis", "malignant", new[] { "diagnosis" }),
            "credit_data" => ("Status", "bad", new[] { "Status", "Home", "Marital", "Records", "Job" }),
            _ => ("compressive_strength", (string?)null, Array.Empty<string>()),
        };
        IDataView data = positive is null
            ? ml.Transforms.CopyColumns("Label", label).Fit(raw).Transform(raw)
            : ml.Transforms.Conversion.MapValue("Label",
                raw.GetColumn<ReadOnlyMemory<char>>(label).Select(v => v.ToString()).Distinct().Select(v => new KeyValuePair<string, bool>(v, v == positive)), label)
                .Fit(raw).Transform(raw);
        string[] numeric = RealData.Numeric(raw, label);
        string[] categorical = [.. text.Where(t => t != label)];
        IEstimator<ITransformer> pipeline = ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair(c + "_r", c))]);
        if (categorical.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c + "_1h", c))]));
        }

        pipeline = pipeline
            .Append(ml.Transforms.Concatenate("Features", [.. numeric.Select(c => c + "_r"), .. categorical.Select(c => c + "_1h")]))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));
        IEstimator<ITransformer> trainer = positive is null
            ? ml.Regression.Trainers.TinyNet(new TinyNetRegressionTrainer.Options { NumberOfIterations = 30, Seed = 1 })
            : ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { NumberOfIterations = 30, Seed = 1 });
        return (ml, data, pipeline.Append(trainer).Fit(data), positive is not null);
    }

    /// <summary>One tensor per graph input, N × width, from the data's column of the same name.</summary>
    private static List<NamedOnnxValue> Inputs(InferenceSession session, MLContext ml, IDataView data)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach ((string name, NodeMetadata meta) in session.InputMetadata)
        {
            DataViewSchema.Column column = data.Schema[name];
            DataViewType item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
            int width = column.Type is VectorDataViewType vt ? vt.Size : 1;
            if (item == NumberDataViewType.Single)
            {
                float[] values = width == 1
                    ? Column<float>(ml, data, name)
                    : [.. data.GetColumn<VBuffer<float>>(name).SelectMany(b => b.DenseValues())];
                inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, [values.Length / width, width])));
            }
            else if (item is TextDataViewType)
            {
                string[] values = [.. data.GetColumn<ReadOnlyMemory<char>>(name).Select(m => m.ToString())];
                inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values, [values.Length, 1])));
            }
            else if (item == BooleanDataViewType.Instance)
            {
                bool[] values = Column<bool>(ml, data, name);
                inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(values, [values.Length, 1])));
            }
            else
            {
                throw new InvalidOperationException($"input {name}: {column.Type} ({meta.ElementType}) is not handled by this test");
            }
        }

        return inputs;
    }

    private static T[] Column<T>(MLContext ml, IDataView data, string name) => [.. data.GetColumn<T>(name)];


    private sealed class RawRow
    {
        [VectorType(8)]
        public float[] Raw { get; set; } = [];
    }

    private sealed class FeatureRow
    {
        [VectorType(8)]
        public float[] Features { get; set; } = [];
    }
}

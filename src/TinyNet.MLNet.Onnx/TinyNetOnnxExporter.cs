using System.Reflection;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Onnx;

/// <summary>
/// Writes a pipeline that ends in TinyNet as one ONNX model. The steps before TinyNet go through ML.NET's own converter
/// (<c>ConvertToOnnx</c>, Microsoft.ML.OnnxConverter), which names each column's final tensor <c>&lt;column&gt;.output</c>;
/// TinyNet's network is appended reading the feature column's tensor, as the notes write it (any input standardisation
/// is already folded into w1 and b1):
/// <code>
/// z1 = Gemm(x, w1, b1, transB = 1)      a1 = Sigmoid(z1)      Score = z2 = Gemm(a1, w2, b2, transB = 1)
/// binary:  Probability = Sigmoid(Score)      PredictedLabel = And(Not(Less(Probability, 0.5)), Not(IsNaN(Probability)))
///          (a2 ≥ 0.5 as ML.NET computes it, false for a NaN row)
/// </code>
/// The outputs are named as ML.NET's columns: Score (float, N × 1), and for binary classification Probability (float)
/// and PredictedLabel (bool). ML.NET's converter also leaves every earlier column as an output (<c>A.output</c>, …).
/// </summary>
internal static class TinyNetOnnxExporter
{
    /// <summary>The opset of a graph TinyNet writes alone (no steps before it): Gemm, Sigmoid, Less, Not, IsNaN, And, Softmax, ArgMax, Add, Gather, Where and Cast are all in it.</summary>
    public const long Opset = 13;

    /// <summary>The IR version of a graph TinyNet writes alone (ONNX 1.8); ONNX Runtime 1.31 reads IR versions 3 to 11.</summary>
    public const long IrVersion = 7;

    public static void Export(ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream, bool keepIntermediateOutputs)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputData);
        ArgumentNullException.ThrowIfNull(stream);
        (List<ITransformer> prefix, TinyNetPredictionTransformer tinyNet, List<ITransformer> suffix) = Split(model);
        Network network = tinyNet.Model.ToNetwork();
        int d = network.InputCount;
        List<(string Output, byte[] Node, byte[] Values, byte[] Declared)> mapped = suffix.Count == 0 ? [] : ClassValues(prefix, tinyNet, suffix, inputData);

        string features;
        byte[] written;
        if (prefix.Count == 0)
        {
            DataViewSchema.Column column = inputData.Schema.GetColumnOrNull(tinyNet.FeatureColumnName) ?? throw new ArgumentException(
                $"inputData has no column '{tinyNet.FeatureColumnName}', the TinyNet model's feature column.", nameof(inputData));
            if (column.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != d)
            {
                throw new ArgumentException($"inputData's column '{tinyNet.FeatureColumnName}' is {column.Type}; the TinyNet model reads Vector<Single, {d}>.", nameof(inputData));
            }

            features = tinyNet.FeatureColumnName;
            byte[] graph = Graph(network, features, "TinyNet", [OnnxWriter.TensorValue(features, OnnxWriter.Float, [-1, d])], mapped);
            written = OnnxWriter.Model(IrVersion, Opset, "TinyNet", typeof(TinyNetOnnxExporter).Assembly.GetName().Version?.ToString() ?? "", graph);
        }
        else
        {
            var chain = new TransformerChain<ITransformer>([.. prefix]);
            if (FirstUnexportable(chain.Transform(inputData), inputData) is { } step)
            {
                // ML.NET's converter would stop there without an error and write the graph up to that step.
                throw new NotSupportedException(
                    $"The step {step} before TinyNet cannot be exported to ONNX by ML.NET's converter, so the pipeline cannot be exported as one ONNX " +
                    "model. Export TinyNet alone (pass the TinyNet transformer and its featurised input), or replace that step.");
            }

            if (prefix.Select(CdfNormalizer).FirstOrDefault(n => n is not null) is { } cdf)
            {
                // Its mapper claims ONNX support, but the CDF column function has none: ML.NET's converter fails generically.
                throw new NotSupportedException(
                    $"The step {cdf} before TinyNet normalises with the normal CDF (NormalizeLogMeanVariance's default useCdf: true, or " +
                    "NormalizeMeanVariance with useCdf: true), which ML.NET's ONNX converter cannot write. Use useCdf: false, or leave the " +
                    "normaliser out: TinyNet standardises its inputs itself, so the model is the same without it.");
            }

            using var ml = new MemoryStream();
            try
            {
                catalog.ConvertToOnnx(chain, inputData, ml);
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException or NotImplementedException)
            {
                throw new NotSupportedException(
                    $"ML.NET's ONNX converter could not write the steps before TinyNet ({string.Join(" → ", prefix.Select(p => p.GetType().Name))}): " +
                    $"{e.Message} Export TinyNet alone (pass the TinyNet transformer and its featurised input), or replace the step it names.", e);
            }

            byte[] mlnet = ml.ToArray();
            features = tinyNet.FeatureColumnName + ".output";
            (_, _, IReadOnlyList<string> outputs) = OnnxReader.Summary(mlnet);
            if (!outputs.Contains(features))
            {
                throw new InvalidOperationException(
                    $"ML.NET's ONNX export of the steps before TinyNet has no output '{features}' for the feature column '{tinyNet.FeatureColumnName}' " +
                    $"(its outputs: {string.Join(", ", outputs)}).");
            }

            if (outputs.Contains("Score") || outputs.Contains("Probability") || outputs.Contains("PredictedLabel"))
            {
                throw new InvalidOperationException("The steps before TinyNet already output a tensor named Score, Probability or PredictedLabel.");
            }

            written = [.. mlnet, .. OnnxWriter.ModelWithGraph(Graph(network, features, null, [], mapped))];
        }

        string[] scoring = [.. new Tail(network, []).Build(mapped).Outputs];
        stream.Write(OnnxModelEditor.Finish(written, [.. scoring, .. mapped.Select(m => m.Output)], keepIntermediateOutputs));
    }

    /// <summary>
    /// The MapKeyToValue steps after a multiclass TinyNet, as ONNX: for each column they map from PredictedLabel, a Gather
    /// of the class values (the training label's key values, in key order, after the value ML.NET gives key 0: empty text,
    /// NaN, or 0) at the key, named as the step's output column and typed as its values.
    /// </summary>
    private static List<(string Output, byte[] Node, byte[] Values, byte[] Declared)> ClassValues(
        List<ITransformer> prefix, TinyNetPredictionTransformer tinyNet, List<ITransformer> suffix, IDataView inputData)
    {
        DataViewSchema scored = tinyNet.GetOutputSchema(new TransformerChain<ITransformer>([.. prefix]).GetOutputSchema(inputData.Schema));
        DataViewSchema.Column predicted = scored["PredictedLabel"];
        if (predicted.Type is not KeyDataViewType || predicted.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType { ItemType: var item } })
        {
            throw new NotSupportedException(
                "MapKeyToValue after TinyNet needs a multiclass model whose label had key values (MapValueToKey before the trainer).");
        }

        var steps = new List<(string, byte[], byte[], byte[])>();
        foreach (ITransformer step in suffix)
        {
            foreach ((string output, string input) in ColumnPairs(step))
            {
                if (input != "PredictedLabel")
                {
                    throw new NotSupportedException(
                        $"The MapKeyToValue step after TinyNet maps column '{input}' to '{output}'; only PredictedLabel can be exported after " +
                        "TinyNet (the ONNX model returns the scoring columns). Drop that pair, or map it outside the exported model.");
                }

                if (steps.Any(s => s.Item1 == output) || output is "Score" or "Probability")
                {
                    throw new NotSupportedException($"The MapKeyToValue step after TinyNet writes '{output}', which the export already has.");
                }

                (byte[] values, int elementType) = KeyValues(predicted, item, "tinynet." + output + ".values");
                byte[] node = OnnxWriter.Node("Gather", "tinynet." + output + ".map", ["tinynet." + output + ".values", "tinynet.key"], [output], ("axis", 0));
                steps.Add((output, node, values, OnnxWriter.TensorValue(output, elementType, [-1, 1])));
            }
        }

        return steps;
    }

    /// <summary>The (output, input) column pairs of a MapKeyToValue step (ML.NET's OneToOneTransformerBase.ColumnPairs, internal).</summary>
    private static (string Output, string Input)[] ColumnPairs(ITransformer step)
    {
        for (Type? type = step.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField("ColumnPairs", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.GetValue(step) is (string, string)[] pairs)
            {
                return pairs;
            }
        }

        throw new NotSupportedException($"The {step.GetType().Name} step after TinyNet does not expose its column pairs in this ML.NET version.");
    }

    /// <summary>
    /// The initializer [value of key 0, class 1, …, class K] for a Gather by key, in the key values' own ONNX type, and that
    /// type. Key 0 (a NaN row) gives what ML.NET's MapKeyToValue gives for a missing key: empty text, NaN, or 0.
    /// </summary>
    private static (byte[] Tensor, int ElementType) KeyValues(DataViewSchema.Column predicted, DataViewType item, string name)
    {
        if (item is TextDataViewType)
        {
            string[] text = [.. Read<ReadOnlyMemory<char>>(predicted).Select(v => v.ToString())];
            return (OnnxWriter.StringTensor(name, [text.Length + 1], ["", .. text]), OnnxWriter.String);
        }

        return item switch
        {
            _ when item == NumberDataViewType.Single => (OnnxWriter.FloatTensor(name, [Count(predicted) + 1], [double.NaN, .. Read<float>(predicted).Select(v => (double)v)]), OnnxWriter.Float),
            _ when item == NumberDataViewType.Double => (OnnxWriter.DoubleTensor(name, [Count(predicted) + 1], [double.NaN, .. Read<double>(predicted)]), OnnxWriter.Double),
            _ when item == NumberDataViewType.Int64 => (OnnxWriter.Int64Tensor(name, [Count(predicted) + 1], [0, .. Read<long>(predicted)]), OnnxWriter.Int64Type),
            _ when item == NumberDataViewType.Int32 => (OnnxWriter.Int32Tensor(name, [Count(predicted) + 1], [0, .. Read<int>(predicted)]), OnnxWriter.Int32),
            _ when item == NumberDataViewType.UInt32 => (OnnxWriter.UInt32Tensor(name, [Count(predicted) + 1], [0, .. Read<uint>(predicted)]), OnnxWriter.UInt32),
            _ => throw new NotSupportedException($"MapKeyToValue after TinyNet: class values of type {item} cannot be exported (Text, Single, Double, Int32, UInt32 and Int64 can)."),
        };
    }

    private static int Count(DataViewSchema.Column predicted) => (int)((KeyDataViewType)predicted.Type).Count;

    private static T[] Read<T>(DataViewSchema.Column column)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().ToArray();
    }

    /// <summary>
    /// The pipeline's steps before TinyNet, TinyNet, and the steps after it: none, or MapKeyToValue steps (turning the
    /// predicted key back into the class value).
    /// </summary>
    private static (List<ITransformer> Prefix, TinyNetPredictionTransformer TinyNet, List<ITransformer> Suffix) Split(ITransformer model)
    {
        if (model is TinyNetPredictionTransformer alone)
        {
            return ([], alone, []);
        }

        var steps = new List<ITransformer>();
        Flatten(model, steps);
        int at = steps.FindLastIndex(s => s is TinyNetPredictionTransformer);
        List<ITransformer> suffix = at < 0 ? [] : steps[(at + 1)..];
        if (at < 0 || suffix.Any(s => s is not Microsoft.ML.Transforms.KeyToValueMappingTransformer))
        {
            ITransformer last = steps.Count > 0 ? steps[^1] : model;
            throw new ArgumentException(
                $"The model's last step is {last.GetType().Name}, not TinyNet; ConvertToOnnxWithTinyNet exports pipelines that end in a TinyNet model, " +
                "optionally followed by MapKeyToValue of its PredictedLabel (use ML.NET's ConvertToOnnx for others).", nameof(model));
        }

        return (steps[..at], (TinyNetPredictionTransformer)steps[at], suffix);
    }

    private static void Flatten(ITransformer model, List<ITransformer> steps)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (ITransformer step in chain)
            {
                Flatten(step, steps);
            }
        }
        else
        {
            steps.Add(model);
        }
    }

    /// <summary>
    /// The first step of the transformed view's chain (back to <paramref name="input"/>) that ML.NET's converter cannot
    /// write, or null. ML.NET's converter walks the same chain and writes a step when it (or, for the usual row-mapper
    /// transform, its mapper) implements ML.NET's internal ICanSaveOnnx; at the first one that does not, it stops
    /// silently. ML.NET internals, reached by name: IDataTransform.Source, RowToRowMapperTransform._mapper.
    /// </summary>
    private static string? FirstUnexportable(IDataView output, IDataView input)
    {
        var views = new List<IDataView>();
        for (IDataView? view = output; view is not null && !ReferenceEquals(view, input); view = Source(view))
        {
            views.Add(view);
        }

        views.Reverse();
        foreach (IDataView view in views)
        {
            object step = view.GetType().GetField("_mapper", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(view) ?? view;
            if (!step.GetType().GetInterfaces().Any(i => i.Name == "ICanSaveOnnx"))
            {
                Type type = step.GetType();
                return type.DeclaringType is { } owner ? $"{owner.Name} ({type.Name})" : type.Name;
            }
        }

        return null;
    }

    /// <summary>"NormalizingTransformer (column 'x')" when <paramref name="step"/> normalises a column with the normal CDF; otherwise null.</summary>
    private static string? CdfNormalizer(ITransformer step)
    {
        if (step is not Microsoft.ML.Transforms.NormalizingTransformer normalizer)
        {
            return null;
        }

        for (int i = 0; ; i++)
        {
            Microsoft.ML.Transforms.NormalizingTransformer.NormalizerModelParametersBase parameters;
            try
            {
                parameters = normalizer.GetNormalizerModelParameters(i);
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;   // past the last column pair: the transformer has no public column count
            }

            if (parameters.GetType().Name.StartsWith("CdfNormalizerModelParameters", StringComparison.Ordinal))
            {
                return $"{nameof(Microsoft.ML.Transforms.NormalizingTransformer)} (its column pair {i})";
            }
        }
    }

    private static IDataView? Source(IDataView view) =>
        view.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "IDataTransform")?.GetProperty("Source")?.GetValue(view) as IDataView;

    /// <summary>
    /// TinyNet's nodes, initializers and outputs, reading the tensor <paramref name="features"/> (N × D): Gemm → Sigmoid → the
    /// head's tail (<see cref="Tail"/>), which writes layer 2 and the score columns as ML.NET's scorer of that task does.
    /// </summary>
    private static byte[] Graph(Network network, string features, string? name, IEnumerable<byte[]> inputs,
        List<(string Output, byte[] Node, byte[] Values, byte[] Declared)> mapped)
    {
        int d = network.InputCount, h = network.HiddenCount;
        var tail = new Tail(network,
        [
            OnnxWriter.Node("Gemm", "tinynet.layer1", [features, "tinynet.w1", "tinynet.b1"], ["tinynet.z1"], ("transB", 1)),
            OnnxWriter.Node("Sigmoid", "tinynet.sigmoid1", ["tinynet.z1"], ["tinynet.a1"]),
        ]);
        tail.Initializers.Add(OnnxWriter.FloatTensor("tinynet.w1", [h, d], network.W1));
        tail.Initializers.Add(OnnxWriter.FloatTensor("tinynet.b1", [h], network.B1));
        tail.Build(mapped);
        return OnnxWriter.Graph(name, tail.Nodes, tail.Initializers, inputs, tail.Declared);
    }

    /// <summary>
    /// The graph after a1, one method per head: layer 2 (z2 = a1 W2ᵀ + b2) and the score columns it ends in, named as
    /// ML.NET's columns (<see cref="Outputs"/>) and declared as graph outputs.
    /// </summary>
    private sealed class Tail(Network network, List<byte[]> nodes)
    {
        public List<byte[]> Nodes { get; } = nodes;

        public List<byte[]> Initializers { get; } = [];

        public List<byte[]> Declared { get; } = [];

        /// <summary>The score columns, in ML.NET's order.</summary>
        public List<string> Outputs { get; } = [];

        public Tail Build(List<(string Output, byte[] Node, byte[] Values, byte[] Declared)> mapped)
        {
            switch (network.Head)
            {
                case Head.Regression: Regression(); break;
                case Head.BinaryClassification: Binary(); break;
                default: Multiclass(mapped); break;
            }

            return this;
        }

        /// <summary>Gemm → Score (the prediction).</summary>
        private void Regression() => Layer2("Score");

        /// <summary>Gemm → Score (the logit), Sigmoid → Probability, Probability ≥ 0.5 → PredictedLabel (false for NaN, as ML.NET).</summary>
        private void Binary()
        {
            Layer2("Score");
            Nodes.Add(OnnxWriter.Node("Sigmoid", "tinynet.sigmoid2", ["Score"], ["Probability"]));
            // a2 ≥ 0.5 as ML.NET computes it: false for NaN (Not(Less) alone would say true), so also Not(IsNaN).
            Nodes.Add(OnnxWriter.Node("Less", "tinynet.below_half", ["Probability", "tinynet.half"], ["tinynet.below"]));
            Nodes.Add(OnnxWriter.Node("Not", "tinynet.not_below", ["tinynet.below"], ["tinynet.at_least_half"]));
            Nodes.Add(OnnxWriter.Node("IsNaN", "tinynet.nan", ["Probability"], ["tinynet.is_nan"]));
            Nodes.Add(OnnxWriter.Node("Not", "tinynet.number", ["tinynet.is_nan"], ["tinynet.is_number"]));
            Nodes.Add(OnnxWriter.Node("And", "tinynet.predicted", ["tinynet.at_least_half", "tinynet.is_number"], ["PredictedLabel"]));
            Initializers.Add(OnnxWriter.FloatTensor("tinynet.half", [], [0.5]));
            Output("Probability", OnnxWriter.Float, 1);
            Output("PredictedLabel", OnnxWriter.Bool, 1);
        }

        /// <summary>
        /// Gemm → z2 (N × K), Softmax → Score (the K probabilities, as ML.NET's column), ArgMax + 1 → PredictedLabel (the key
        /// 1 … K, uint32 as ML.NET's key columns; the first on a tie, as ML.NET; key 0 for a NaN row, as ML.NET); then the
        /// MapKeyToValue steps after it (<paramref name="mapped"/>).
        /// </summary>
        private void Multiclass(List<(string Output, byte[] Node, byte[] Values, byte[] Declared)> mapped)
        {
            const string z2 = "tinynet.z2";
            Layer2(z2);
            Nodes.Add(OnnxWriter.Node("Softmax", "tinynet.softmax", [z2], ["Score"], ("axis", 1)));
            Nodes.Add(OnnxWriter.Node("ArgMax", "tinynet.argmax", [z2], ["tinynet.class"], ("axis", 1), ("keepdims", 1)));
            Nodes.Add(OnnxWriter.Node("Add", "tinynet.key", ["tinynet.class", "tinynet.one"], ["tinynet.key1"]));
            // Key 0 (missing) for a NaN row, as ML.NET: a NaN feature makes every logit NaN, so the first tells.
            Nodes.Add(OnnxWriter.Node("Gather", "tinynet.first_logit", [z2, "tinynet.first"], ["tinynet.z2_0"], ("axis", 1)));
            Nodes.Add(OnnxWriter.Node("IsNaN", "tinynet.nan", ["tinynet.z2_0"], ["tinynet.is_nan"]));
            Nodes.Add(OnnxWriter.Node("Where", "tinynet.missing", ["tinynet.is_nan", "tinynet.zero", "tinynet.key1"], ["tinynet.key"]));
            Nodes.Add(OnnxWriter.Node("Cast", "tinynet.predicted", ["tinynet.key"], ["PredictedLabel"], ("to", OnnxWriter.UInt32)));
            Initializers.Add(OnnxWriter.Int64Tensor("tinynet.one", [], [1]));
            Initializers.Add(OnnxWriter.Int64Tensor("tinynet.zero", [], [0]));
            Initializers.Add(OnnxWriter.Int64Tensor("tinynet.first", [1], [0]));
            Output("PredictedLabel", OnnxWriter.UInt32, 1);
            foreach ((_, byte[] node, byte[] values, byte[] declared) in mapped)
            {
                Nodes.Add(node);
                Initializers.Add(values);
                Declared.Add(declared);
            }
        }

        /// <summary>z2 = a1 W2ᵀ + b2 into <paramref name="z2"/>, and Score (N × K) as the first output.</summary>
        private void Layer2(string z2)
        {
            int h = network.HiddenCount, k = network.OutputCount;
            Nodes.Add(OnnxWriter.Node("Gemm", "tinynet.layer2", ["tinynet.a1", "tinynet.w2", "tinynet.b2"], [z2], ("transB", 1)));
            Initializers.Add(OnnxWriter.FloatTensor("tinynet.w2", [k, h], network.W2));      // K × H, row-major: Network's layout
            Initializers.Add(OnnxWriter.FloatTensor("tinynet.b2", [k], network.B2));
            Output("Score", OnnxWriter.Float, k);
        }

        private void Output(string name, int type, int width)
        {
            Outputs.Add(name);
            Declared.Add(OnnxWriter.TensorValue(name, type, [-1, width]));
        }
    }
}

/// <summary>Reads the little of a serialized ModelProto the exporter checks: IR version, default-domain opset, output names.</summary>
internal static class OnnxReader
{
    public static (long IrVersion, long Opset, IReadOnlyList<string> Outputs) Summary(byte[] model)
    {
        long ir = 0, opset = 0;
        var outputs = new List<string>();
        var input = new CodedInputStream(model);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint:
                    ir = input.ReadInt64();
                    break;
                case 7:
                    outputs.AddRange(Outputs(input.ReadBytes().ToByteArray()));
                    break;
                case 8:
                    (string domain, long version) = Opset(input.ReadBytes().ToByteArray());
                    opset = domain is "" or "ai.onnx" ? Math.Max(opset, version) : opset;
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (ir, opset, outputs);
    }

    private static List<string> Outputs(byte[] graph)
    {
        var names = new List<string>();
        var input = new CodedInputStream(graph);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 12)
            {
                var info = new CodedInputStream(input.ReadBytes().ToByteArray());
                for (uint t; (t = info.ReadTag()) != 0;)
                {
                    if (WireFormat.GetTagFieldNumber(t) == 1)
                    {
                        names.Add(info.ReadString());
                    }
                    else
                    {
                        info.SkipLastField();
                    }
                }
            }
            else
            {
                input.SkipLastField();
            }
        }

        return names;
    }

    private static (string Domain, long Version) Opset(byte[] message)
    {
        string domain = "";
        long version = 0;
        var input = new CodedInputStream(message);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    domain = input.ReadString();
                    break;
                case 2:
                    version = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (domain, version);
    }
}

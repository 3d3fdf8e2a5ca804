using Google.Protobuf;

namespace TinyNet.MLNet.Onnx;

/// <summary>
/// Finishes the model the exporter assembled (ML.NET's converter output with TinyNet's graph appended): one graph; every
/// declared batch dimension symbolic ("N"; ML.NET writes −1, which is not a valid ONNX dimension and makes onnx.checker
/// refuse the file); ML.NET's declared shapes of intermediate tensors removed, their element types kept (ML.NET declares
/// shapes its own nodes do not produce, such as [N, 4] for a one-hot tensor of shape [N, 1, 4], and ONNX Runtime warns
/// "MergeShapeInfo … lenient merge" for each; a shape is optional, ONNX Runtime infers it, and the type is what onnx's
/// own inference needs past the ai.onnx.ml operators it cannot infer); and, unless the caller keeps them, only what
/// scoring needs — the scoring outputs, the nodes and initializers they depend on, and the raw input columns they read
/// (not the label, not ML.NET's intermediate <c>*.output</c> columns or its slot-name side graphs). A graph output must
/// declare a shape, so with the intermediates kept ML.NET's one-hot outputs keep theirs, and ONNX Runtime warns about them.
/// </summary>
internal static class OnnxModelEditor
{
    // onnx.proto field numbers. ModelProto: graph 7. GraphProto: node 1, initializer 5, input 11, output 12, value_info 13.
    // NodeProto: input 1, output 2. TensorProto: name 8. ValueInfoProto: name 1, type 2. TypeProto: tensor_type 1.
    // TypeProto.Tensor: shape 2. TensorShapeProto: dim 1. TensorShapeProto.Dimension: dim_value 1, dim_param 2.
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;

    /// <summary>
    /// The finished model: <paramref name="outputs"/> are the scoring outputs, in the order the graph declares them;
    /// with <paramref name="keepIntermediates"/> every output and node ML.NET wrote stays (only the dimensions are fixed).
    /// </summary>
    public static byte[] Finish(byte[] model, IReadOnlyList<string> outputs, bool keepIntermediates)
    {
        ProtoMessage m = ProtoMessage.Parse(model);
        // A model with its graph field twice (ML.NET's, then TinyNet's fragment) is one graph: protobuf merges embedded
        // messages by concatenating their bytes.
        byte[] merged = [.. m.All(ModelGraph).SelectMany(b => b)];
        ProtoMessage graph = ProtoMessage.Parse(merged).Select(f => f.Number switch
        {
            GraphInput or GraphOutput => ProtoMessage.Field.Message(f.Number, SymbolicBatch(f.Bytes!)),
            GraphValueInfo => ProtoMessage.Field.Message(f.Number, WithoutShape(f.Bytes!)),
            _ => f,
        });
        if (!keepIntermediates)
        {
            graph = Prune(graph, outputs);
        }

        ProtoMessage result = m.Where(f => f.Number != ModelGraph);
        result.Add(ModelGraph, graph.ToBytes());
        return result.ToBytes();
    }

    /// <summary>
    /// Keeps the outputs named in <paramref name="outputs"/>, the nodes they depend on (walking back from them), the
    /// initializers, inputs and value infos of the tensors those nodes read or write; drops the rest.
    /// </summary>
    private static ProtoMessage Prune(ProtoMessage graph, IReadOnlyList<string> outputs)
    {
        List<ProtoMessage> nodes = [.. graph.All(GraphNode).Select(ProtoMessage.Parse)];
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var keep = new bool[nodes.Count];
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (nodes[i].Strings(2).Any(needed.Contains))
            {
                keep[i] = true;
                needed.UnionWith(nodes[i].Strings(1).Where(name => name.Length > 0));
            }
        }

        var declared = new HashSet<string>(graph.All(GraphOutput).Select(v => ProtoMessage.Parse(v).String(1)), StringComparer.Ordinal);
        if (outputs.FirstOrDefault(o => !declared.Contains(o)) is { } missing)
        {
            throw new InvalidOperationException($"The exported graph declares no output '{missing}'; its outputs: {string.Join(", ", declared)}.");
        }

        var wanted = new HashSet<string>(outputs, StringComparer.Ordinal);
        int node = 0;
        return graph.Where(f => f.Number switch
        {
            GraphNode => keep[node++],
            GraphInitializer => needed.Contains(ProtoMessage.Parse(f.Bytes!).String(8)),
            GraphInput or GraphValueInfo => needed.Contains(ProtoMessage.Parse(f.Bytes!).String(1)),
            GraphOutput => wanted.Contains(ProtoMessage.Parse(f.Bytes!).String(1)),
            _ => true,
        });
    }

    /// <summary>A ValueInfoProto with every negative tensor dimension (ML.NET's −1 for "any") made the symbolic "N".</summary>
    private static byte[] SymbolicBatch(byte[] valueInfo)
    {
        ProtoMessage info = ProtoMessage.Parse(valueInfo);
        return info.Select(f => f.Number != 2 ? f : ProtoMessage.Field.Message(2, Nested(f.Bytes!, 1, tensor =>
            Nested(tensor, 2, shape => ProtoMessage.Parse(shape).Select(dim => dim.Number != 1 ? dim : ProtoMessage.Field.Message(1, Dimension(dim.Bytes!))).ToBytes()))))
            .ToBytes();
    }

    /// <summary>A ValueInfoProto with its tensor type's shape removed (the element type stays).</summary>
    private static byte[] WithoutShape(byte[] valueInfo) =>
        Nested(valueInfo, 2, type => Nested(type, 1, tensor => ProtoMessage.Parse(tensor).Where(f => f.Number != 2).ToBytes()));

    /// <summary>The message <paramref name="bytes"/> with each field <paramref name="number"/> (an embedded message) rewritten by <paramref name="edit"/>.</summary>
    private static byte[] Nested(byte[] bytes, int number, Func<byte[], byte[]> edit) =>
        ProtoMessage.Parse(bytes).Select(f => f.Number == number && f.Bytes is not null ? ProtoMessage.Field.Message(number, edit(f.Bytes)) : f).ToBytes();

    private static byte[] Dimension(byte[] bytes)
    {
        ProtoMessage dim = ProtoMessage.Parse(bytes);
        if (!dim.Fields.Any(f => f.Number == 1 && f.Type == WireFormat.WireType.Varint && (long)f.Scalar < 0))
        {
            return bytes;
        }

        return dim.Where(f => f.Number != 1).Add(2, "N"u8.ToArray()).ToBytes();
    }
}

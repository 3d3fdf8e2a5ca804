using Google.Protobuf;

namespace TinyNet.MLNet.Onnx;

/// <summary>
/// The few ONNX messages TinyNet writes, encoded with Google.Protobuf's wire-format writer. Field numbers are those of
/// onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
/// TensorShapeProto, OperatorSetIdProto); ONNX Runtime parses and checks every file written here in the tests.
/// Protobuf's merge rule does the rest: a serialized ModelProto whose graph holds only TinyNet's nodes, appended to
/// ML.NET's serialized model, parses as one model whose graph has both (repeated fields append, embedded messages merge).
/// </summary>
internal static class OnnxWriter
{
    // onnx.proto: TensorProto.DataType
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64Type = 7;
    public const int String = 8;
    public const int Bool = 9;
    public const int Double = 11;
    public const int UInt32 = 12;

    // AttributeProto.AttributeType
    private const int AttributeInt = 2;

    /// <summary>ModelProto with only field 7 (graph): the fragment appended to ML.NET's model.</summary>
    public static byte[] ModelWithGraph(byte[] graph) => Message(o => Bytes(o, 7, graph));

    /// <summary>A whole ModelProto: ir_version (1), producer_name (2), producer_version (3), graph (7), opset_import (8).</summary>
    public static byte[] Model(long irVersion, long opset, string producer, string version, byte[] graph) => Message(o =>
    {
        Int64(o, 1, irVersion);
        Text(o, 2, producer);
        Text(o, 3, version);
        Bytes(o, 7, graph);
        Bytes(o, 8, Message(s =>
        {
            Text(s, 1, "");
            Int64(s, 2, opset);
        }));
    });

    /// <summary>GraphProto: node (1), name (2), initializer (5), input (11), output (12).</summary>
    public static byte[] Graph(string? name, IEnumerable<byte[]> nodes, IEnumerable<byte[]> initializers, IEnumerable<byte[]> inputs, IEnumerable<byte[]> outputs) => Message(o =>
    {
        foreach (byte[] n in nodes)
        {
            Bytes(o, 1, n);
        }

        if (name is not null)
        {
            Text(o, 2, name);
        }

        foreach (byte[] t in initializers)
        {
            Bytes(o, 5, t);
        }

        foreach (byte[] i in inputs)
        {
            Bytes(o, 11, i);
        }

        foreach (byte[] v in outputs)
        {
            Bytes(o, 12, v);
        }
    });

    /// <summary>NodeProto: input (1), output (2), name (3), op_type (4), attribute (5, integer attributes only here).</summary>
    public static byte[] Node(string op, string name, string[] inputs, string[] outputs, params (string Name, long Value)[] attributes) => Message(o =>
    {
        foreach (string i in inputs)
        {
            Text(o, 1, i);
        }

        foreach (string v in outputs)
        {
            Text(o, 2, v);
        }

        Text(o, 3, name);
        Text(o, 4, op);
        foreach ((string attribute, long value) in attributes)
        {
            // AttributeProto: name (1), i (3), type (20).
            Bytes(o, 5, Message(a =>
            {
                Text(a, 1, attribute);
                Int64(a, 3, value);
                Int64(a, 20, AttributeInt);
            }));
        }
    });

    /// <summary>TensorProto of float32: dims (1), data_type (2), name (8), raw_data (9, little-endian).</summary>
    public static byte[] FloatTensor(string name, long[] dims, ReadOnlySpan<double> values)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * sizeof(float)), (float)values[i]);
        }

        return Tensor(name, dims, Float, raw);
    }

    /// <summary>TensorProto of int64: dims (1), data_type (2) = 7, name (8), raw_data (9, little-endian).</summary>
    public static byte[] Int64Tensor(string name, long[] dims, ReadOnlySpan<long> values)
    {
        var raw = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * sizeof(long)), values[i]);
        }

        return Tensor(name, dims, Int64Type, raw);
    }

    /// <summary>TensorProto of float64 (data_type 11, raw_data little-endian).</summary>
    public static byte[] DoubleTensor(string name, long[] dims, ReadOnlySpan<double> values) =>
        Tensor(name, dims, Double, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>TensorProto of int32 (data_type 6, raw_data little-endian).</summary>
    public static byte[] Int32Tensor(string name, long[] dims, ReadOnlySpan<int> values) =>
        Tensor(name, dims, Int32, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>TensorProto of uint32 (data_type 12, raw_data little-endian).</summary>
    public static byte[] UInt32Tensor(string name, long[] dims, ReadOnlySpan<uint> values) =>
        Tensor(name, dims, UInt32, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>TensorProto of strings: dims (1), data_type (2) = 8, string_data (6, UTF-8, one per element), name (8).</summary>
    public static byte[] StringTensor(string name, long[] dims, IEnumerable<string> values) => Message(o =>
    {
        foreach (long d in dims)
        {
            Int64(o, 1, d);
        }

        Int64(o, 2, String);
        foreach (string v in values)
        {
            Bytes(o, 6, System.Text.Encoding.UTF8.GetBytes(v));
        }

        Text(o, 8, name);
    });

    private static byte[] Tensor(string name, long[] dims, int elementType, byte[] raw)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this exporter runs on little-endian machines only.");
        }

        return Message(o =>
        {
            foreach (long d in dims)
            {
                Int64(o, 1, d);
            }

            Int64(o, 2, elementType);
            Text(o, 8, name);
            Bytes(o, 9, raw);
        });
    }

    /// <summary>
    /// ValueInfoProto: name (1), type (2) = TypeProto { tensor_type (1) = { elem_type (1), shape (2) = TensorShapeProto {
    /// dim (1) = { dim_value (1) | dim_param (2) } } } }. A dimension of -1 is written as the symbolic "N".
    /// </summary>
    public static byte[] TensorValue(string name, int elementType, long[] dims) => Message(o =>
    {
        Text(o, 1, name);
        Bytes(o, 2, Message(type => Bytes(type, 1, Message(tensor =>
        {
            Int64(tensor, 1, elementType);
            Bytes(tensor, 2, Message(shape =>
            {
                foreach (long d in dims)
                {
                    Bytes(shape, 1, Message(dim =>
                    {
                        if (d < 0)
                        {
                            Text(dim, 2, "N");
                        }
                        else
                        {
                            Int64(dim, 1, d);
                        }
                    }));
                }
            }));
        }))));
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return buffer.ToArray();
    }

    private static void Bytes(CodedOutputStream o, int field, byte[] value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(value));
    }

    private static void Text(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void Int64(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }
}

using Google.Protobuf;

namespace TinyNet.MLNet.Onnx;

/// <summary>
/// A serialized protobuf message as its fields, in order, each kept as read: the exporter edits the few ONNX fields it
/// knows (a graph's nodes, initializers, inputs, outputs, value infos; a shape's dimensions) and passes every other field
/// through byte for byte, so nothing ML.NET wrote is lost by a field this code does not know.
/// </summary>
internal sealed class ProtoMessage
{
    private ProtoMessage(List<Field> fields) => Fields = fields;

    /// <summary>The fields in wire order.</summary>
    public List<Field> Fields { get; }

    public static ProtoMessage Parse(byte[] bytes)
    {
        var fields = new List<Field>();
        var input = new CodedInputStream(bytes);
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            fields.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => new Field(number, WireFormat.WireType.Varint, input.ReadUInt64(), null),
                WireFormat.WireType.Fixed64 => new Field(number, WireFormat.WireType.Fixed64, input.ReadFixed64(), null),
                WireFormat.WireType.Fixed32 => new Field(number, WireFormat.WireType.Fixed32, input.ReadFixed32(), null),
                WireFormat.WireType.LengthDelimited => new Field(number, WireFormat.WireType.LengthDelimited, 0, input.ReadBytes().ToByteArray()),
                var other => throw new InvalidDataException($"Unexpected protobuf wire type {other} in field {number} of an ONNX message."),
            });
        }

        return new ProtoMessage(fields);
    }

    /// <summary>The length-delimited values of field <paramref name="number"/> (embedded messages, strings, bytes).</summary>
    public IEnumerable<byte[]> All(int number) => Fields.Where(f => f.Number == number && f.Bytes is not null).Select(f => f.Bytes!);

    /// <summary>The strings of field <paramref name="number"/>.</summary>
    public IEnumerable<string> Strings(int number) => All(number).Select(b => System.Text.Encoding.UTF8.GetString(b));

    /// <summary>The first string of field <paramref name="number"/>, or "".</summary>
    public string String(int number) => Strings(number).FirstOrDefault() ?? "";

    /// <summary>Keeps the fields for which <paramref name="keep"/> is true.</summary>
    public ProtoMessage Where(Func<Field, bool> keep) => new([.. Fields.Where(keep)]);

    /// <summary>Replaces each field by what <paramref name="map"/> returns for it (the same field to keep it).</summary>
    public ProtoMessage Select(Func<Field, Field> map) => new([.. Fields.Select(map)]);

    public ProtoMessage Add(int number, byte[] bytes)
    {
        Fields.Add(new Field(number, WireFormat.WireType.LengthDelimited, 0, bytes));
        return this;
    }

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            foreach (Field f in Fields)
            {
                output.WriteTag(f.Number, f.Type);
                switch (f.Type)
                {
                    case WireFormat.WireType.Varint:
                        output.WriteUInt64(f.Scalar);
                        break;
                    case WireFormat.WireType.Fixed64:
                        output.WriteFixed64(f.Scalar);
                        break;
                    case WireFormat.WireType.Fixed32:
                        output.WriteFixed32((uint)f.Scalar);
                        break;
                    default:
                        output.WriteBytes(ByteString.CopyFrom(f.Bytes));
                        break;
                }
            }
        }

        return buffer.ToArray();
    }

    /// <summary>One field: its number, wire type, and value (a scalar, or the bytes of a length-delimited one).</summary>
    internal readonly record struct Field(int Number, WireFormat.WireType Type, ulong Scalar, byte[]? Bytes)
    {
        public static Field Message(int number, byte[] bytes) => new(number, WireFormat.WireType.LengthDelimited, 0, bytes);
    }
}

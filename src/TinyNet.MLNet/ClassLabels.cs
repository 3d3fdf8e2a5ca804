using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>
/// The K classes of a multiclass model: the key values of the training label column (the values MapValueToKey mapped),
/// carried into the model so that PredictedLabel has them and MapKeyToValue turns a prediction back into the original
/// label; their text forms name the Score slots. Key values of type Text, Single, Double, Int32, UInt32 or Int64 are
/// kept with their type (Int64 as 64-bit integers, so ids above 2⁵³ come back exactly); a label without key values (or of
/// another type) gives slots named "0", "1", …. Two class lists are compared by value (<see cref="IndexIn"/>), never by
/// key index: the same classes keyed in another order are the same classes.
/// </summary>
internal sealed class ClassLabels
{
    private enum Kind : byte
    {
        None = 0,
        Text = 1,
        Single = 2,
        Double = 3,
        Int32 = 4,
        UInt32 = 5,
        Int64AsDouble = 6,   // read only: format 2 stored Int64 key values as doubles (exact up to 2⁵³)
        Int64 = 7,           // 64-bit integers (payload format 3)
    }

    private readonly Kind _kind;
    private readonly string[] _text;       // Text kind
    private readonly double[] _numbers;    // Single, Double, Int32, UInt32: exact in a double
    private readonly long[] _integers;     // Int64

    private ClassLabels(int count, Kind kind, string[] text, double[] numbers, long[]? integers = null)
    {
        Count = count;
        _kind = kind;
        _text = text;
        _numbers = numbers;
        _integers = integers ?? [];
    }

    /// <summary>K.</summary>
    public int Count { get; }

    /// <summary>The class names as text, one per class (the key values, or "0", "1", … without them).</summary>
    public IReadOnlyList<string> Names => _kind switch
    {
        Kind.None => [.. Enumerable.Range(0, Count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        Kind.Text => _text,
        Kind.Int64 => [.. _integers.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        _ => [.. _numbers.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))],
    };

    /// <summary>
    /// The payload format a model with these classes needs: 3 for Int64 key values (stored as 64-bit integers), 2 otherwise.
    /// </summary>
    public int PayloadFormat => _kind == Kind.Int64 ? 3 : 2;

    /// <summary>
    /// For each class of this list, its index in <paramref name="other"/>, matched by key value (−1 where
    /// <paramref name="other"/> lacks it). Null when the two cannot be matched by value: their key values are of different
    /// types, or one of them has none; then only lists without key values on both sides, of the same length, match index by
    /// index.
    /// </summary>
    public int[]? IndexIn(ClassLabels other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_kind == Kind.None && other._kind == Kind.None)
        {
            return [.. Enumerable.Range(0, Count).Select(k => k < other.Count ? k : -1)];
        }

        if (_kind != other._kind)
        {
            return null;
        }

        int[] index = new int[Count];
        for (int k = 0; k < Count; k++)
        {
            index[k] = -1;
            for (int j = 0; j < other.Count && index[k] < 0; j++)
            {
                if (SameValue(k, other, j))
                {
                    index[k] = j;
                }
            }
        }

        return index;
    }

    /// <summary>The classes as a list for a message, in key order: "[b, c, a]" (at most 20 shown).</summary>
    public string Describe()
    {
        const int Shown = 20;
        IReadOnlyList<string> names = Names;
        string list = string.Join(", ", names.Take(Shown).Select(n => $"'{n}'"));
        string kind = _kind switch
        {
            Kind.None => "key indices without values",
            _ => _kind.ToString(),
        };
        return $"[{list}{(names.Count > Shown ? $", … ({names.Count} in all)" : "")}] ({kind})";
    }

    private bool SameValue(int k, ClassLabels other, int j) => _kind switch
    {
        Kind.Text => string.Equals(_text[k], other._text[j], StringComparison.Ordinal),
        Kind.Int64 => _integers[k] == other._integers[j],
        _ => _numbers[k].Equals(other._numbers[j]),
    };

    /// <summary>Whether the model carries key values for PredictedLabel.</summary>
    public bool HasKeyValues => _kind != Kind.None;

    /// <summary>The classes of a label column of key type with <paramref name="count"/> values.</summary>
    public static ClassLabels Of(DataViewSchema.Column label, int count)
    {
        if (label.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType { ItemType: var item, Size: var size } }
            || size != count)
        {
            return new ClassLabels(count, Kind.None, [], []);
        }

        if (item is TextDataViewType)
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            label.GetKeyValues(ref values);
            return new ClassLabels(count, Kind.Text, [.. values.DenseValues().Select(v => v.ToString())], []);
        }

        Kind kind = item == NumberDataViewType.Single ? Kind.Single
            : item == NumberDataViewType.Double ? Kind.Double
            : item == NumberDataViewType.Int32 ? Kind.Int32
            : item == NumberDataViewType.UInt32 ? Kind.UInt32
            : item == NumberDataViewType.Int64 ? Kind.Int64
            : Kind.None;
        if (kind == Kind.Int64)
        {
            return new ClassLabels(count, kind, [], [], Read<long, long>(label, v => v));
        }

        double[] numbers = kind switch
        {
            Kind.Single => Read<float, double>(label, v => v),
            Kind.Double => Read<double, double>(label, v => v),
            Kind.Int32 => Read<int, double>(label, v => v),
            Kind.UInt32 => Read<uint, double>(label, v => v),
            _ => [],
        };
        return new ClassLabels(count, kind, [], numbers);
    }

    /// <summary>
    /// Stand-in classes for an estimator's output shape (K is not known before Fit): key values of the label's key-value
    /// type <paramref name="keyValueType"/> (none when null), so that MapKeyToValue after the trainer checks out.
    /// </summary>
    public static ClassLabels Placeholder(DataViewType? keyValueType) => keyValueType switch
    {
        TextDataViewType => new(2, Kind.Text, ["", ""], []),
        NumberDataViewType t when t == NumberDataViewType.Single => new(2, Kind.Single, [], [0, 0]),
        NumberDataViewType t when t == NumberDataViewType.Double => new(2, Kind.Double, [], [0, 0]),
        NumberDataViewType t when t == NumberDataViewType.Int32 => new(2, Kind.Int32, [], [0, 0]),
        NumberDataViewType t when t == NumberDataViewType.UInt32 => new(2, Kind.UInt32, [], [0, 0]),
        NumberDataViewType t when t == NumberDataViewType.Int64 => new(2, Kind.Int64, [], [], [0, 0]),
        _ => Unnamed(2),
    };

    /// <summary>Classes with no key values (slots "0" … "K − 1").</summary>
    public static ClassLabels Unnamed(int count) => new(count, Kind.None, [], []);

    /// <summary>Adds the KeyValues annotation of PredictedLabel, in the training label's type.</summary>
    public void AddKeyValues(DataViewSchema.Annotations.Builder builder)
    {
        (PrimitiveDataViewType? Type, Delegate? Getter) keyValues = _kind switch
        {
            Kind.Text => (TextDataViewType.Instance, Getter<ReadOnlyMemory<char>>([.. _text.Select(t => t.AsMemory())])),
            Kind.Single => (NumberDataViewType.Single, Getter<float>([.. _numbers.Select(v => (float)v)])),
            Kind.Double => (NumberDataViewType.Double, Getter<double>(_numbers)),
            Kind.Int32 => (NumberDataViewType.Int32, Getter<int>([.. _numbers.Select(v => (int)v)])),
            Kind.UInt32 => (NumberDataViewType.UInt32, Getter<uint>([.. _numbers.Select(v => (uint)v)])),
            Kind.Int64 => (NumberDataViewType.Int64, Getter<long>(_integers)),
            _ => (null, null),
        };
        if (keyValues.Type is { } type)
        {
            builder.Add("KeyValues", new VectorDataViewType(type, Count), keyValues.Getter);
        }
    }

    /// <summary>Adds the SlotNames annotation of Score: the class names as text.</summary>
    public void AddSlotNames(DataViewSchema.Annotations.Builder builder)
    {
        ReadOnlyMemory<char>[] names = [.. Names.Select(n => n.AsMemory())];
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, Count), Getter(names));
    }

    /// <summary>Writes K, the kind and the values.</summary>
    public void Write(BinaryWriter w)
    {
        w.Write(Count);
        w.Write((byte)_kind);
        if (_kind == Kind.Text)
        {
            foreach (string t in _text)
            {
                w.Write(t);
            }
        }
        else if (_kind == Kind.Int64)
        {
            foreach (long v in _integers)
            {
                w.Write(v);
            }
        }
        else if (_kind != Kind.None)
        {
            foreach (double v in _numbers)
            {
                w.Write(v);
            }
        }
    }

    /// <summary>
    /// Reads what <see cref="Write"/> wrote, for a model with K = <paramref name="count"/> outputs in payload
    /// <paramref name="format"/>; a mismatch is damage. Format 2's Int64 classes (stored as doubles) are read as Int64.
    /// </summary>
    public static ClassLabels Read(BinaryReader r, int count, int format, Func<string, Exception> damaged)
    {
        int stored = r.ReadInt32();
        if (stored != count)
        {
            throw damaged($"the class list holds {stored} classes but the network has K = {count} outputs");
        }

        var kind = (Kind)r.ReadByte();
        if (!Enum.IsDefined(kind) || (kind == Kind.Int64 && format < 3) || (kind == Kind.Int64AsDouble && format >= 3))
        {
            throw damaged($"the class labels' type tag is {(byte)kind} in payload format {format}");
        }

        if (kind == Kind.Int64)
        {
            return new ClassLabels(count, kind, [], [], [.. Enumerable.Range(0, count).Select(_ => r.ReadInt64())]);
        }

        if (kind == Kind.Int64AsDouble)
        {
            long[] integers = new long[count];
            for (int k = 0; k < count; k++)
            {
                double v = r.ReadDouble();
                integers[k] = Math.Round(v) == v && Math.Abs(v) <= 9007199254740992.0
                    ? (long)v
                    : throw damaged($"class {k} is stored as {v:R}: a format-2 file holds Int64 classes exactly only up to 2⁵³, so this " +
                        "model's class values were rounded when it was saved; train it again with this TinyNet (payload format 3 keeps them exact)");
            }

            return new ClassLabels(count, Kind.Int64, [], [], integers);
        }

        string[] text = kind == Kind.Text ? [.. Enumerable.Range(0, count).Select(_ => r.ReadString())] : [];
        double[] numbers = kind is not (Kind.None or Kind.Text) ? [.. Enumerable.Range(0, count).Select(_ => r.ReadDouble())] : [];
        return new ClassLabels(count, kind, text, numbers);
    }

    private static TOut[] Read<T, TOut>(DataViewSchema.Column label, Func<T, TOut> convert)
    {
        VBuffer<T> values = default;
        label.GetKeyValues(ref values);
        return [.. values.DenseValues().Select(convert)];
    }

    private static ValueGetter<VBuffer<T>> Getter<T>(T[] values) => (ref VBuffer<T> v) => v = new VBuffer<T>(values.Length, (T[])values.Clone());
}

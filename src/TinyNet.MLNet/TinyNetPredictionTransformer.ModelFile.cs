using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace TinyNet.MLNet;

/// <summary>
/// The model file: TinyNet's payload inside ML.NET's model stream — versioned, checksummed, every field validated on load
/// (<see cref="Parse"/>) so that a damaged or tampered file fails naming the field instead of loading as another model.
/// </summary>
public sealed partial class TinyNetPredictionTransformer
{
    private const string ModelSignature = "TINYNETP";
    private const uint Magic = 0x54454E54;      // "TNET"
    // Of the payload below; bump when it changes, keep reading the old ones. 1: one output (regression, binary). 2: adds K
    // after H, b2 as K values and, for multiclass, the classes. 3: Int64 class values as 64-bit integers (2 stored them as
    // doubles). Each model is written in the oldest format that holds it (one output: 1; multiclass: 2, or 3 for Int64
    // classes), so that an older TinyNet keeps reading every model it can represent.
    private const int FormatVersion = 3;

    /// <summary>Writes the model into ML.NET's model file: ML.NET's header, then TinyNet's own versioned, checksummed payload.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        BinaryWriter writer = MLNetInternals.BeginSave(ctx, ModelSignature, LoaderSignature);
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Network n = Model.Network;
            w.Write((int)n.Head);
            w.Write(n.InputCount);
            w.Write(n.HiddenCount);
            if (n.OutputCount != 1)
            {
                w.Write(n.OutputCount);
            }

            foreach (double v in n.W1) { w.Write(v); }
            foreach (double v in n.B1) { w.Write(v); }
            foreach (double v in n.W2) { w.Write(v); }
            foreach (double v in n.B2) { w.Write(v); }
            w.Write(FeatureColumnName);
            Model.Classes?.Write(w);
            TrainingHistory? h = Model.History;
            w.Write(h is not null);
            if (h is not null)
            {
                WriteList(w, h.TrainingLoss);
                w.Write(h.ValidationLoss is not null);
                if (h.ValidationLoss is not null)
                {
                    WriteList(w, h.ValidationLoss);
                }

                w.Write(h.BestEpoch);
                w.Write(h.StoppedEarly);
            }
        }

        byte[] bytes = payload.ToArray();
        writer.Write(Magic);
        writer.Write(Model.Classes?.PayloadFormat ?? 1);
        writer.Write(bytes.Length);
        writer.Write(bytes);
        writer.Write(Checksum(bytes));
    }

    /// <summary>
    /// ML.NET's loader entry point, named by the LoadableClassAttribute that tools/TinyNet.AddLoader adds to this assembly
    /// (ML.NET's ComponentCatalog finds non-public loaders). Not for callers: load models with <c>mlContext.Model.Load</c>.
    /// </summary>
    /// <param name="env">The host environment.</param>
    /// <param name="ctx">ML.NET's internal ModelLoadContext.</param>
    private static TinyNetPredictionTransformer Create(IHostEnvironment env, object ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(ctx);
        BinaryReader reader = MLNetInternals.BeginLoad(ctx, ModelSignature, LoaderSignature);
        try
        {
            if (reader.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("The TinyNet model payload does not start with TinyNet's marker: the file is damaged.");
            }

            int format = reader.ReadInt32();
            if (format < 1)
            {
                throw new InvalidDataException($"The TinyNet model payload is damaged: its format version is {format}, below 1.");
            }

            if (format > FormatVersion)
            {
                throw new InvalidDataException(
                    $"This model was written by a newer TinyNet (payload format {format}); this TinyNet reads format {FormatVersion} and older. Upgrade TinyNet.MLNet to load it.");
            }

            // The length is outside the checksum: check it against the bytes actually left before allocating anything
            // (a length of 0x7FFFFFC7 used to allocate 2.1 GB before failing; int.MaxValue ran out of memory).
            int length = reader.ReadInt32();
            long left = reader.BaseStream.CanSeek ? reader.BaseStream.Length - reader.BaseStream.Position - sizeof(ulong) : long.MaxValue;
            if (length < 0 || length > left)
            {
                throw new InvalidDataException(
                    $"The TinyNet model payload is truncated or damaged: its length field says {length} bytes" +
                    (left == long.MaxValue ? "." : $" but the model stream holds {Math.Max(left, 0)} after it."));
            }

            byte[] bytes = ReadExactly(reader, length);
            if (reader.ReadUInt64() != Checksum(bytes))
            {
                throw new InvalidDataException("The TinyNet model payload is corrupted: its checksum does not match.");
            }

            return Parse(bytes, format);
        }
        catch (EndOfStreamException e)
        {
            // No inner exception: the user's GetBaseException() (ML.NET wraps loaders in TargetInvocationException) must be
            // TinyNet's message, not the reader's.
            throw new InvalidDataException($"The TinyNet model payload is truncated ({e.Message})");
        }
    }

    /// <summary>
    /// Reads the checksummed payload, validating every field, so that even a payload whose checksum was recomputed after
    /// tampering can only load as a well-formed model: shapes that match the declared sizes, finite parameters, a
    /// non-empty feature column name, a consistent history, no bytes left over. Every failure is an
    /// <see cref="InvalidDataException"/> naming the field.
    /// </summary>
    private static TinyNetPredictionTransformer Parse(byte[] bytes, int format)
    {
        // Strict UTF-8: the writer wrote valid UTF-8, so bytes that do not decode (DecoderFallbackException, an
        // ArgumentException) mean the name was read from the wrong place, as after a tampered D.
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        try
        {
            var head = (Head)r.ReadInt32();
            int d = r.ReadInt32();
            int hCount = r.ReadInt32();
            bool hasClasses = Enum.IsDefined(head) && TinyNetTask.For(head).HasClasses;   // K follows the shape
            int k = hasClasses ? r.ReadInt32() : 1;
            long parameterBytes = sizeof(double) * ((long)d * hCount + hCount + (long)k * (hCount + 1));
            if (!Enum.IsDefined(head) || d < 1 || hCount < 1 || parameterBytes > bytes.Length - r.BaseStream.Position ||
                (hasClasses && (format < 2 || k < 2)))
            {
                throw Damaged($"its shape is impossible for a payload of {bytes.Length} bytes in format {format} (head {(int)head}, D = {d}, H = {hCount}, K = {k})");
            }

            var network = new Network(d, hCount, head, k);
            ReadFinite(r, network.W1, "w1");
            ReadFinite(r, network.B1, "b1");
            ReadFinite(r, network.W2, "w2");
            ReadFinite(r, network.B2, "b2");

            string feature = r.ReadString();
            if (string.IsNullOrWhiteSpace(feature))
            {
                throw Damaged("the feature column name is empty");
            }

            if (feature.Any(char.IsControl))
            {
                throw Damaged("the feature column name holds control characters");
            }

            ClassLabels? classes = hasClasses ? ClassLabels.Read(r, k, format, Damaged) : null;

            TrainingHistory? history = null;
            if (ReadFlag(r, "the history flag"))
            {
                List<double> training = ReadLosses(r, "the training-loss history");
                List<double>? validation = ReadFlag(r, "the validation-history flag") ? ReadLosses(r, "the validation-loss history") : null;
                if (validation is not null && validation.Count != training.Count)
                {
                    throw Damaged($"the validation-loss history has {validation.Count} epochs but the training-loss history has {training.Count}");
                }

                int bestEpoch = r.ReadInt32();
                if (bestEpoch < 0 || bestEpoch > training.Count)
                {
                    throw Damaged($"the best epoch is {bestEpoch}, outside 0..{training.Count}");
                }

                history = new TrainingHistory(head, training, validation, bestEpoch, ReadFlag(r, "the stopped-early flag"));
            }

            if (r.BaseStream.Position != bytes.Length)
            {
                throw Damaged($"{bytes.Length - r.BaseStream.Position} unexpected bytes follow the last field");
            }

            return new TinyNetPredictionTransformer(new TinyNetModelParameters(network, history, classes), feature, new VectorDataViewType(NumberDataViewType.Single, d));
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"The TinyNet model payload is damaged: {e.Message}");   // no inner: see Create
        }
    }

    private static InvalidDataException Damaged(string what) => new($"The TinyNet model payload is damaged: {what}.");

    /// <summary>Reads exactly <paramref name="length"/> bytes, in chunks, so a lying length allocates no more than the stream holds.</summary>
    private static byte[] ReadExactly(BinaryReader reader, int length)
    {
        const int Chunk = 1 << 20;
        if (length <= Chunk || reader.BaseStream.CanSeek)
        {
            byte[] bytes = reader.ReadBytes(length);
            return bytes.Length == length ? bytes : throw new EndOfStreamException();
        }

        using var buffer = new MemoryStream();
        for (int done = 0; done < length; done += Chunk)
        {
            byte[] part = reader.ReadBytes(Math.Min(Chunk, length - done));
            buffer.Write(part);
            if (part.Length < Math.Min(Chunk, length - done))
            {
                throw new EndOfStreamException();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>FNV-1a, 64 bits: enough to tell a damaged payload from an intact one (not a defence against tampering).</summary>
    private static ulong Checksum(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static void WriteList(BinaryWriter w, IReadOnlyList<double> values)
    {
        w.Write(values.Count);
        foreach (double v in values)
        {
            w.Write(v);
        }
    }

    private static List<double> ReadLosses(BinaryReader r, string what)
    {
        int count = r.ReadInt32();
        if (count < 0 || count > (r.BaseStream.Length - r.BaseStream.Position) / sizeof(double))
        {
            throw Damaged($"{what} claims {count} epochs");
        }

        var list = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            double loss = r.ReadDouble();
            if (!(loss >= 0 && double.IsFinite(loss)))
            {
                throw Damaged($"{what} holds {loss} at epoch {i + 1}; losses are finite and ≥ 0");
            }

            list.Add(loss);
        }

        return list;
    }

    private static bool ReadFlag(BinaryReader r, string what)
    {
        byte b = r.ReadByte();
        return b <= 1 ? b == 1 : throw Damaged($"{what} is {b}, not 0 or 1");
    }

    private static void ReadFinite(BinaryReader r, double[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadDouble();
            if (!double.IsFinite(values[i]))
            {
                throw Damaged($"{name}[{i}] is {values[i]}; every parameter must be finite");
            }

            if (Math.Abs(values[i]) > float.MaxValue)
            {
                // TinyNet scores in float32: such a parameter would become ±∞ there and turn probabilities into 0, 1 or NaN.
                throw Damaged($"{name}[{i}] is {values[i]:R}, beyond the float range ±{float.MaxValue:R} the scorer computes in; every parameter must be a finite float");
            }
        }
    }
}

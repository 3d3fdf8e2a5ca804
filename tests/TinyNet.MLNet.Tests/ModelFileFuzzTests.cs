using System.IO.Compression;
using CsCheck;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// A saved pipeline (NormalizeMeanVariance + TinyNet; binary in payload format 1, multiclass with text classes in
/// format 2), mutated 2,000 ways per run each: raw byte flips in
/// the zip record holding TinyNet's entry, truncations of the zip, byte flips and truncations of the TinyNet entry
/// recompressed so the zip itself is valid, TinyNet's header fields (marker, format, length) and payload fields (head,
/// D, H, K, history counts, flags, best epoch, parameters set to NaN/∞ or just beyond float range) set to extremes with the
/// checksum recomputed as a deliberate tamperer would.
/// <para>
/// Every load must end within 30 s, allocate less than 100 MB, and either give bit-identical scores or throw an
/// exception whose base exception (<see cref="Exception.GetBaseException"/>; ML.NET wraps loader exceptions in
/// TargetInvocationException / InvalidOperationException) is one of <see cref="DocumentedBaseExceptions"/>; never
/// different scores; and TinyNet's own code may throw only InvalidDataException.
/// </para>
/// <para>
/// Not fuzzed here: ML.NET's own entries (the normaliser, the chain, the saved input schema). They carry no checksum and
/// .NET's zip reader does not verify CRC-32; measured while writing this test, a byte flipped in them (recompressed) can
/// load as a different pipeline (the normaliser's numbers), allocate over 100 MB, or hang ML.NET's binary schema reader.
/// That is ML.NET's format, outside TinyNet's reach; docs/mlnet.md says so.
/// </para>
/// </summary>
public class ModelFileFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// What a damaged model file may throw, as the base exception (docs/mlnet.md, "What to know"): InvalidDataException (TinyNet's
    /// payload checks, .NET's zip reader), FormatException (ML.NET's model-header checks), InvalidOperationException
    /// (ML.NET's version check: "Cannot read version … data"), IOException (ML.NET reading a stream cut short, or an
    /// assembly name damaged into one that does not exist: EndOfStream, FileNotFound, FileLoad), CultureNotFoundException
    /// (an assembly name's culture damaged).
    /// </summary>
    public static readonly Type[] DocumentedBaseExceptions =
    [
        typeof(InvalidDataException), typeof(FormatException), typeof(InvalidOperationException), typeof(IOException),
        typeof(System.Globalization.CultureNotFoundException),
    ];

    private const int Iterations = 2000;
    private const long AllocationLimit = 100_000_000;
    private const string Identical = "identical scores";
    private const string DifferentScores = "DIFFERENT SCORES";

    private static readonly int[] Extremes = [int.MinValue, -1, 0, 1, 2, 0x7FFFFFC7, int.MaxValue, 1 << 20, 65536];
    private static readonly Lazy<Fixture> Saved = new(() => Fixture.Create(multiclass: false));
    private static readonly Lazy<Fixture> SavedMulticlass = new(() => Fixture.Create(multiclass: true));

    /// <summary>Finite doubles a float32 scorer cannot hold: they would score as ±∞.</summary>
    private static readonly double[] BeyondFloat = [1e39, -1e39, float.MaxValue * (1 + 1e-7), -float.MaxValue * (1 + 1e-7), double.MaxValue, -double.MaxValue];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_mutated_model_file_loads_identically_or_fails_with_a_documented_exception(bool multiclass)
    {
        Fixture f = multiclass ? SavedMulticlass.Value : Saved.Value;
        var outcomes = new Dictionary<string, int>();
        Gen<Mutation> mutations = Gen.OneOf(
            Gen.Int[f.TinyNetRecord.Start, f.TinyNetRecord.End - 1].Select(Gen.Byte[1, 255]).Select(t =>
                new Mutation("raw zip byte flip in the TinyNet entry's record", Where.TinyNetEntry, Flip(f.Zip, t.Item1, t.Item2))),
            Gen.Int[0, f.Zip.Length - 1].Select(n => new Mutation("zip truncation", Where.TinyNetEntry, f.Zip[..n])),
            Gen.Int[0, f.Payload.Length - 1].Select(Gen.Byte[1, 255]).Select(t =>
                new Mutation("TinyNet entry byte flip", t.Item1 >= f.MagicAt ? Where.TinyNetPayload : Where.TinyNetEntry, f.WithTinyNetEntry(Flip(f.Payload, t.Item1, t.Item2)))),
            Gen.Int[0, f.Payload.Length - 1].Select(n => new Mutation("TinyNet entry truncation", Where.TinyNetEntry, f.WithTinyNetEntry(f.Payload[..n]))),
            Gen.Int[0, Fixture.HeaderFields.Length - 1].Select(Gen.OneOf(Extremes)).Select(t =>
                new Mutation($"TinyNet header field {Fixture.HeaderFields[t.Item1]}", Where.TinyNetPayload, f.WithTinyNetEntry(f.SetHeaderField(t.Item1, t.Item2)))),
            Gen.Int[0, f.BodyFields.Length - 1].Select(Gen.OneOf(Extremes)).Select(t =>
                new Mutation($"tampered payload field {f.BodyFields[t.Item1]}", Where.TinyNetPayload, f.WithTinyNetEntry(f.Tamper(t.Item1, t.Item2)))),
            Gen.Int[0, f.ParameterCount - 1].Select(Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity)).Select(t =>
                new Mutation("tampered parameter set to NaN/∞", Where.TinyNetPayload, f.WithTinyNetEntry(f.TamperParameter(t.Item1, t.Item2)))),
            Gen.Int[0, f.ParameterCount - 1].Select(Gen.OneOf(BeyondFloat.Select(Gen.Const).ToArray())).Select(t =>
                new Mutation("tampered parameter set beyond float range", Where.TinyNetPayload, f.WithTinyNetEntry(f.TamperParameter(t.Item1, t.Item2)))));

        mutations.Sample(m =>
        {
            (string outcome, Exception? error, long allocated) = Load(f, m.Bytes);
            Assert.True(allocated < AllocationLimit, $"{m.Kind}: the load allocated {allocated:N0} bytes");
            if (error is not null)
            {
                Exception root = error.GetBaseException();
                // TinyNet's own code throws only InvalidDataException for a damaged file; what reaches the user is one of the
                // documented base types (ML.NET's header checks for TinyNet's entry throw the others).
                bool thrownByTinyNet = new System.Diagnostics.StackTrace(root).GetFrames()
                    .Any(frame => frame.GetMethod()?.DeclaringType?.Assembly == typeof(TinyNetPredictionTransformer).Assembly);
                Assert.True(!thrownByTinyNet || root is InvalidDataException, $"{m.Kind}: TinyNet threw {outcome}");
                Assert.True(DocumentedBaseExceptions.Any(t => t.IsInstanceOfType(root)), $"{m.Kind}: undocumented exception {outcome}");
                if (m.Where == Where.TinyNetPayload && root is InvalidDataException)
                {
                    Assert.Matches("TinyNet model payload|newer TinyNet|archive|zip|header", root.Message);
                }
            }

            Assert.True(outcome != DifferentScores, $"{m.Kind}: a damaged TinyNet entry loaded with different scores");

            string key = $"{m.Kind} → {(error is null ? outcome : error.GetBaseException().GetType().Name)}{(allocated >= AllocationLimit ? " (ML.NET allocated > 100 MB)" : "")}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }, iter: Iterations, threads: 1);

        foreach ((string key, int count) in outcomes.OrderBy(o => o.Key))
        {
            output.WriteLine($"{count,5}  {key}");
        }

        Assert.Equal(Iterations, outcomes.Values.Sum());
        // The payload checks must actually have been reached, not just ML.NET's: TinyNet's own errors appear.
        Assert.Contains(outcomes.Keys, k => k.StartsWith("tampered payload field") && k.EndsWith(nameof(InvalidDataException)));
        Assert.Contains(outcomes.Keys, k => k.StartsWith("tampered parameter set beyond float range") && k.EndsWith(nameof(InvalidDataException)));
    }

    /// <summary>The mutations a payload check must refuse, one by one, each naming what is wrong.</summary>
    [Theory]
    [InlineData(1, 0x7FFFFFC7, "length field says 2147483591 bytes")]
    [InlineData(1, int.MaxValue, "length field says 2147483647 bytes")]
    [InlineData(1, -8, "length field says -8 bytes")]
    [InlineData(0, 0, "format version is 0")]
    public void A_header_field_set_to_an_extreme_is_refused_before_allocating(int field, int value, string message)
    {
        Fixture f = Saved.Value;
        (_, Exception? error, _) = Load(f, f.WithTinyNetEntry(f.SetHeaderField(field + 1, value)));
        Assert.NotNull(error);
        Assert.IsType<InvalidDataException>(error.GetBaseException());
        Assert.Contains(message, error.GetBaseException().Message);
    }

    [Theory]
    [InlineData(5, -1, "the best epoch is -1, outside 0..4")]
    [InlineData(5, 99, "the best epoch is 99, outside 0..4")]
    [InlineData(1, 0, "its shape is impossible")]
    [InlineData(2, 1 << 20, "its shape is impossible")]
    [InlineData(3, int.MaxValue, "the training-loss history claims 2147483647 epochs")]
    [InlineData(6, 7, "the history flag is 7, not 0 or 1")]
    public void A_tampered_payload_with_a_valid_checksum_is_refused_naming_the_field(int field, int value, string message)
    {
        Fixture f = Saved.Value;
        (_, Exception? error, _) = Load(f, f.WithTinyNetEntry(f.Tamper(field, value)));
        Assert.NotNull(error);
        Assert.IsType<InvalidDataException>(error.GetBaseException());
        Assert.Contains(message, error.GetBaseException().Message);
    }

    [Theory]
    [InlineData(-1e39)]
    [InlineData(3.4028236e38)]
    public void A_tampered_parameter_beyond_float_range_is_refused_naming_it(double value)
    {
        // It used to load (finite in double) and score −∞ in float: class c0 got probability 0.
        Fixture f = SavedMulticlass.Value;
        int w2 = f.D * f.H + f.H;
        (_, Exception? error, _) = Load(f, f.WithTinyNetEntry(f.TamperParameter(w2, value)));
        Assert.NotNull(error);
        Assert.IsType<InvalidDataException>(error.GetBaseException());
        Assert.Contains($"w2[0] is {value:R}, beyond the float range", error.GetBaseException().Message);
    }

    [Fact]
    public void A_tampered_class_count_or_K_in_a_multiclass_file_is_refused_naming_the_field()
    {
        Fixture f = SavedMulticlass.Value;
        (_, Exception? error, _) = Load(f, f.WithTinyNetEntry(f.Tamper(7, 1)));   // K = 1
        Assert.NotNull(error);
        Assert.Contains("its shape is impossible", error.GetBaseException().Message);
        (_, error, _) = Load(f, f.WithTinyNetEntry(f.Tamper(7, 4)));             // K = 4: the parameters no longer line up
        Assert.NotNull(error);
        Assert.IsType<InvalidDataException>(error.GetBaseException());
    }

    [Fact]
    public void A_tampered_NaN_parameter_is_refused_naming_it()
    {
        // It used to load, and every output was NaN.
        Fixture f = Saved.Value;
        (_, Exception? error, _) = Load(f, f.WithTinyNetEntry(f.TamperParameter(f.D * f.H + 1, double.NaN)));
        Assert.NotNull(error);
        Assert.Contains("b1[1] is NaN", error.GetBaseException().Message);
    }

    [Fact]
    public void A_tampered_empty_feature_column_name_is_refused()
    {
        // An empty name used to load; Transform then threw ArgumentNullException (Parameter 'name'). A blank name of the
        // original's length keeps ML.NET's size fields valid, so only TinyNet's check can refuse it.
        Fixture f = Saved.Value;
        (_, Exception? error, _) = Load(f, f.WithTinyNetEntry(f.TamperFeatureName("        ")));
        Assert.NotNull(error);
        Assert.Contains("the feature column name is empty", error.GetBaseException().Message);
    }

    [Fact]
    public void A_feature_column_name_that_is_not_UTF8_or_holds_control_characters_is_refused()
    {
        // Found by the fuzz property: a tampered D (checksum recomputed) made the name be read from parameter bytes; it
        // loaded, and Transform then failed on a feature column of garbage. The writer writes valid UTF-8 names.
        Fixture f = Saved.Value;
        (_, Exception? error, _) = Load(f, f.WithTinyNetEntry(f.TamperFeatureName([0x46, 0xC3, 0x28, 0xFF, 0x74, 0x75, 0x72, 0x65])));   // "Features": 8 bytes
        Assert.NotNull(error);
        Assert.IsType<InvalidDataException>(error.GetBaseException());
        Assert.Contains("damaged", error.GetBaseException().Message);

        (_, error, _) = Load(f, f.WithTinyNetEntry(f.TamperFeatureName("Feat\u0001res")));
        Assert.NotNull(error);
        Assert.Contains("the feature column name holds control characters", error.GetBaseException().Message);
    }

    /// <summary>Loads and scores on a worker (to catch a hang); returns the outcome, the exception if the load failed, and
    /// the bytes the load allocated.</summary>
    private static (string Outcome, Exception? Error, long Allocated) Load(Fixture f, byte[] bytes)
    {
        // A thread of its own (LongRunning), not the thread pool: under a loaded machine a pool queue must not count as a hang.
        var task = Task.Factory.StartNew(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var ml = new MLContext(seed: 0);
                ITransformer model = ml.Model.Load(new MemoryStream(bytes), out _);
                float[] scores = f.ScoresOf(model, ml);
                return (f.Scores.AsSpan().SequenceEqual(scores) ? Identical : DifferentScores, (Exception?)null, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            catch (Exception e)
            {
                return (Chain(e), e, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(task.Wait(TimeSpan.FromSeconds(30)), "a load hung (no result within 30 s)");
        return task.Result;
    }

    private static string Chain(Exception e)
    {
        var types = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            types.Add(x.GetType().Name);
        }

        string message = e.GetBaseException().Message.Split('\n')[0];
        return string.Join(" > ", types) + ": " + message[..Math.Min(70, message.Length)];
    }

    private static byte[] Flip(byte[] source, int at, byte mask)
    {
        byte[] copy = (byte[])source.Clone();
        copy[at] ^= mask;
        return copy;
    }

    /// <summary>Where a mutation lands: TinyNet's own payload (from its marker on), or elsewhere in TinyNet's entry (ML.NET's
    /// header for it, the zip record holding it, the zip's directory).</summary>
    private enum Where { TinyNetPayload, TinyNetEntry }

    private sealed record Mutation(string Kind, Where Where, byte[] Bytes)
    {
        public override string ToString() => Kind;
    }

    /// <summary>A saved pipeline (featuriser + TinyNet), its entries, the TinyNet payload and the scores it gives.</summary>
    internal sealed class Fixture
    {
        public static readonly string[] HeaderFields = ["magic", "format", "length"];
        private static readonly string[] AllBodyFields = ["head", "D", "H", "training history count", "validation flag", "best epoch", "history flag", "K"];

        /// <summary>The payload fields <see cref="Tamper"/> can set (K only in a multiclass payload).</summary>
        public string[] BodyFields => K > 1 ? AllBodyFields : AllBodyFields[..^1];

        public required byte[] Zip { get; init; }
        public required string TinyNetEntry { get; init; }
        public required byte[] Payload { get; init; }       // the TinyNet entry's bytes
        public required int MagicAt { get; init; }
        public required int D { get; init; }
        public required int H { get; init; }
        public required int K { get; init; }
        public required string[] Classes { get; init; }
        public required float[] Scores { get; init; }
        public required float[][] Rows { get; init; }
        public required List<(string Name, byte[] Bytes)> Entries { get; init; }

        /// <summary>The TinyNet entry's zip record (local header and compressed data) in <see cref="Zip"/>.</summary>
        public (int Start, int End) TinyNetRecord
        {
            get
            {
                byte[] local = [0x50, 0x4B, 0x03, 0x04];
                byte[] name = System.Text.Encoding.UTF8.GetBytes(TinyNetEntry);
                int start = -1;
                for (int at = Zip.AsSpan().IndexOf(local); at >= 0; at = NextIndex(Zip, local, at + 4))
                {
                    if (Zip.AsSpan(at + 30).StartsWith(name))
                    {
                        start = at;
                        break;
                    }
                }

                Assert.True(start >= 0, "the TinyNet entry's zip record was not found");
                int next = NextIndex(Zip, local, start + 4);
                int end = next >= 0 ? next : NextIndex(Zip, [0x50, 0x4B, 0x01, 0x02], start + 4);
                return (start, end);
            }
        }

        private static int NextIndex(byte[] bytes, byte[] pattern, int from)
        {
            int i = bytes.AsSpan(from).IndexOf(pattern);
            return i < 0 ? -1 : from + i;
        }

        public int ParameterCount => D * H + H + K * (H + 1);

        /// <summary>Where the parameters start in the body: after head, D, H (and K, in a multiclass payload).</summary>
        public int ParametersAt => K == 1 ? 12 : 16;

        private static readonly string[] ClassNames = ["low", "mid", "high"];

        public static Fixture Create(bool multiclass)
        {
            var ml = new MLContext(seed: 3);
            var random = new Random(5);
            float[][] rows = [.. Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble() * 10).ToArray())];
            IDataView data = ScoringData(ml, rows);
            ITransformer model = multiclass
                ? ml.Transforms.Conversion.MapValueToKey("Label", "Class")
                    .Append(ml.Transforms.NormalizeMeanVariance("Features"))
                    .Append(ml.MulticlassClassification.Trainers.TinyNet(new TinyNetMulticlassTrainer.Options { NumberOfHiddenUnits = 3, NumberOfIterations = 4, Seed = 1 }))
                    .Fit(data)
                : ml.Transforms.NormalizeMeanVariance("Features")
                    .Append(ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { NumberOfHiddenUnits = 3, NumberOfIterations = 4, Seed = 1, ValidationFraction = 0 }))
                    .Fit(data);
            using var stream = new MemoryStream();
            ml.Model.Save(model, data.Schema, stream);
            byte[] zip = stream.ToArray();
            var entries = new List<(string, byte[])>();
            using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            {
                foreach (ZipArchiveEntry e in archive.Entries)
                {
                    using Stream s = e.Open();
                    using var copy = new MemoryStream();
                    s.CopyTo(copy);
                    entries.Add((e.FullName, copy.ToArray()));
                }
            }

            (string name, byte[] payload) = entries.Single(e => e.Item2.AsSpan().IndexOf("TNET"u8) >= 0);
            entries = [.. entries.Where(e => e.Item1 != name), (name, payload)];
            return new Fixture
            {
                Zip = zip,
                TinyNetEntry = name,
                Payload = payload,
                MagicAt = payload.AsSpan().IndexOf("TNET"u8),
                D = 5,
                H = 3,
                K = multiclass ? 3 : 1,
                Classes = multiclass ? [.. data.GetColumn<string>("Class").Distinct()] : [],
                Rows = rows,
                Entries = entries,
                Scores = ScoresOf(model, ScoringData(ml, rows)),
            };
        }

        public float[] ScoresOf(ITransformer model, MLContext ml) => ScoresOf(model, ScoringData(ml, Rows));

        /// <summary>The Score column, flattened: one value per row, or K per row for multiclass.</summary>
        private static float[] ScoresOf(ITransformer model, IDataView data)
        {
            IDataView scored = model.Transform(data);
            return scored.Schema["Score"].Type is VectorDataViewType
                ? [.. scored.GetColumn<float[]>("Score").SelectMany(v => v)]
                : [.. scored.GetColumn<float>("Score")];
        }

        private static IDataView ScoringData(MLContext ml, float[][] rows) =>
            ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r, Label = r[0] > 5, Class = ClassNames[Math.Min((int)(r[0] / 3.34f), 2)] }));

        public byte[] WithTinyNetEntry(byte[] payload) => Rezip(TinyNetEntry, payload);

        /// <summary>Sets magic (0), format (1) or length (2), the fields before the checksummed payload.</summary>
        public byte[] SetHeaderField(int field, int value)
        {
            byte[] copy = (byte[])Payload.Clone();
            BitConverter.TryWriteBytes(copy.AsSpan(MagicAt + 4 * field), value);
            return copy;
        }

        /// <summary>Sets a field inside the payload and recomputes the checksum, as a deliberate tamperer would.</summary>
        public byte[] Tamper(int field, int value)
        {
            byte[] body = Body();
            int at = field switch
            {
                0 => 0,                                     // head
                1 => 4,                                     // D
                2 => 8,                                     // H
                7 when K > 1 => 12,                         // K
                7 => throw new ArgumentException("a one-output payload has no K field", nameof(field)),
                _ => HistoryOffset(body, field),
            };
            if (field == 4 || field == 6)
            {
                body[at] = (byte)value;                     // a flag byte
            }
            else
            {
                BitConverter.TryWriteBytes(body.AsSpan(at), value);
            }

            return WithBody(body);
        }

        /// <summary>Replaces the feature column name by one of the same byte length (ML.NET's header records the entry's size).</summary>
        public byte[] TamperFeatureName(string name) => TamperFeatureName(System.Text.Encoding.UTF8.GetBytes(name));

        public byte[] TamperFeatureName(byte[] encoded)
        {
            byte[] body = Body();
            int at = ParametersAt + 8 * ParameterCount;
            Assert.Equal(body[at], encoded.Length);
            encoded.CopyTo(body, at + 1);
            return WithBody(body);
        }

        public byte[] TamperParameter(int index, double value)
        {
            byte[] body = Body();
            BitConverter.TryWriteBytes(body.AsSpan(ParametersAt + 8 * index), value);
            return WithBody(body);
        }

        private int HistoryOffset(byte[] body, int field)
        {
            int at = ParametersAt + 8 * ParameterCount;
            at += 1 + body[at];                             // the feature column name: one length byte, then UTF-8
            if (K > 1)
            {
                Assert.Equal(K, BitConverter.ToInt32(body, at));
                Assert.Equal(1, body[at + 4]);              // the class list: K, the Text tag, then each name
                at += 5;
                for (int k = 0; k < K; k++)
                {
                    at += 1 + body[at];
                }
            }

            int historyFlag = at;
            int count = BitConverter.ToInt32(body, at + 1);
            int validationFlag = at + 1 + 4 + 8 * count;
            return field switch
            {
                3 => at + 1,
                4 => validationFlag,
                5 => validationFlag + 1,                    // best epoch (no validation history in this model)
                _ => historyFlag,
            };
        }

        private byte[] Body()
        {
            int length = BitConverter.ToInt32(Payload, MagicAt + 8);
            return Payload.AsSpan(MagicAt + 12, length).ToArray();
        }

        private byte[] WithBody(byte[] body)
        {
            byte[] copy = (byte[])Payload.Clone();
            body.CopyTo(copy, MagicAt + 12);
            BitConverter.TryWriteBytes(copy.AsSpan(MagicAt + 12 + body.Length), Fnv1a(body));
            return copy;
        }

        private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
        {
            ulong hash = 14695981039346656037UL;
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            return hash;
        }

        private byte[] Rezip(string name, byte[] content)
        {
            using var stream = new MemoryStream();
            using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach ((string n, byte[] bytes) in Entries)
                {
                    using Stream s = archive.CreateEntry(n).Open();
                    s.Write(n == name ? content : bytes);
                }
            }

            return stream.ToArray();
        }
    }

    public sealed class Row
    {
        [VectorType(5)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public string Class { get; set; } = "";
    }
}

using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace TinyNet.MLNet;

/// <summary>
/// A trained TinyNet in an ML.NET pipeline. Adds the columns of ML.NET's built-in trainers: binary classification →
/// Score (Single, the logit z2), Probability (Single, a2 = σ(z2)), PredictedLabel (Boolean, a2 ≥ 0.5); regression → Score;
/// multiclass → Score (vector of the K class probabilities a2 = softmax(z2), slots named by the classes) and PredictedLabel
/// (key over the K classes, the most probable, carrying the training label's key values for MapKeyToValue).
/// Saved with <c>mlContext.Model.Save</c>; loaded with <c>mlContext.Model.Load</c>, in any process, with no registration
/// call (ML.NET finds TinyNet's loader through the model file's header).
/// </summary>
public sealed class TinyNetPredictionTransformer : ISingleFeaturePredictionTransformer<TinyNetModelParameters>, ICanSaveModel
{
    internal const string LoaderSignature = "TinyNetPredictor";
    private const string ModelSignature = "TINYNETP";
    private const uint Magic = 0x54454E54;      // "TNET"
    // Of the payload below; bump when it changes, keep reading the old ones. 1: one output (regression, binary). 2: adds K
    // after H, b2 as K values and, for multiclass, the classes. 3: Int64 class values as 64-bit integers (2 stored them as
    // doubles). Each model is written in the oldest format that holds it (one output: 1; multiclass: 2, or 3 for Int64
    // classes), so that an older TinyNet keeps reading every model it can represent.
    private const int FormatVersion = 3;

    internal TinyNetPredictionTransformer(TinyNetModelParameters model, string featureColumnName, VectorDataViewType featureType)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = featureType;
    }

    /// <summary>The trained network and its history.</summary>
    public TinyNetModelParameters Model { get; }

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Its type: a vector of D Singles.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>True: TinyNet scores each row on its own, so it works in a PredictionEngine.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the score columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return ScoreColumns.Add(inputSchema, Model.Head, Model.Classes);
    }

    /// <summary>Scores <paramref name="input"/> lazily, row by row, as its cursors move.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>The row mapper a PredictionEngine uses.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema, GetOutputSchema(inputSchema));

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
            int k = head == Head.MulticlassClassification ? r.ReadInt32() : 1;
            long parameterBytes = sizeof(double) * ((long)d * hCount + hCount + (long)k * (hCount + 1));
            if (!Enum.IsDefined(head) || d < 1 || hCount < 1 || parameterBytes > bytes.Length - r.BaseStream.Position ||
                (head == Head.MulticlassClassification && (format < 2 || k < 2)))
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

            ClassLabels? classes = head == Head.MulticlassClassification ? ClassLabels.Read(r, k, format, Damaged) : null;

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

    private void CheckInput(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        DataViewSchema.Column column = inputSchema.GetColumnOrNull(FeatureColumnName) ?? throw new ArgumentOutOfRangeException(nameof(inputSchema),
            $"The feature column '{FeatureColumnName}' is not in the input data.");
        if (column.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != Model.InputCount)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Schema mismatch for feature column '{FeatureColumnName}': expected Vector<Single, {Model.InputCount}>, got {column.Type}.");
        }
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

    /// <summary>Computes the score columns of one input row, once per row position.</summary>
    private sealed class RowScorer
    {
        private readonly Scorer _scorer;
        private readonly string _featureColumnName;
        private readonly DataViewRow _input;
        private readonly ValueGetter<VBuffer<float>>? _features;
        private readonly float[] _dense;
        private readonly float[]? _probabilities;    // multiclass: the K class probabilities of the current row
        private VBuffer<float> _buffer;
        private long _position = long.MinValue;
        private float _z2;

        public RowScorer(TinyNetPredictionTransformer parent, DataViewRow input, bool anyScoreActive)
        {
            _scorer = parent.Model.Scorer.Clone();
            _featureColumnName = parent.FeatureColumnName;
            _input = input;
            _dense = new float[parent.Model.InputCount];
            _probabilities = parent.Model.Head == Head.MulticlassClassification ? new float[parent.Model.OutputCount] : null;
            _features = anyScoreActive ? input.GetGetter<VBuffer<float>>(input.Schema[parent.FeatureColumnName]) : null;
        }

        /// <summary>
        /// The getter of added column <paramref name="k"/>: 0 Score, 1 Probability, 2 PredictedLabel (a2 ≥ 0.5, so false for
        /// a NaN row, as ML.NET's binary scorer); multiclass: 0 Score (the K probabilities), 1 PredictedLabel (the key 1 … K
        /// of the most probable class, the first on a tie; key 0, ML.NET's missing value, when no probability is a number,
        /// as ML.NET's multiclass scorer gives for a NaN feature).
        /// </summary>
        public Delegate Getter(int k) => (_probabilities, k) switch
        {
            (null, 0) => (ValueGetter<float>)((ref float v) => v = Logit()),
            (null, 1) => (ValueGetter<float>)((ref float v) => v = (float)Activations.Sigmoid(Logit())),
            (null, _) => (ValueGetter<bool>)((ref bool v) => v = Activations.Sigmoid(Logit()) >= 0.5),
            (_, 0) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
            {
                float[] p = Probabilities();
                var editor = VBufferEditor.Create(ref v, p.Length);
                p.CopyTo(editor.Values);
                v = editor.Commit();
            }),
            _ => (ValueGetter<uint>)((ref uint v) => v = (uint)(ArgMax(Probabilities()) + 1)),
        };

        /// <summary>The index of the largest probability (the first on a tie), or −1 when none is a number (a NaN row).</summary>
        private static int ArgMax(float[] p)
        {
            int best = -1;
            float max = float.NegativeInfinity;
            for (int k = 0; k < p.Length; k++)
            {
                if (p[k] > max || (best < 0 && p[k] == max))
                {
                    best = k;
                    max = p[k];
                }
            }

            return best;
        }

        private float[] Probabilities()
        {
            Score();
            return _probabilities!;
        }

        private float Logit()
        {
            Score();
            return _z2;
        }

        /// <summary>Scores the current row once per position: z2 (one output) or the K probabilities (multiclass).</summary>
        private void Score()
        {
            long position = _input.Position;
            if (position != _position || position < 0)
            {
                _features!(ref _buffer);
                if (_buffer.Length != _dense.Length)
                {
                    // VBuffer.CopyTo of a shorter vector keeps the previous row's values in the tail: never score that.
                    string row = position >= 0 ? $"row {position} of " : "";
                    throw new InvalidOperationException(
                        $"The {row}feature column '{_featureColumnName}' holds {_buffer.Length} values, but this TinyNet model was " +
                        $"trained on {_dense.Length}. Pass exactly {_dense.Length} features (a null or empty array counts as 0).");
                }

                // float32 SIMD, the training kernels' forward pass; a dense vector is scored in place, a sparse one densified.
                ReadOnlySpan<float> x = _buffer.GetValues();
                if (!_buffer.IsDense)
                {
                    _buffer.CopyTo(_dense);
                    x = _dense;
                }

                if (_probabilities is null)
                {
                    _z2 = _scorer.Logit(x);
                }
                else
                {
                    _scorer.Probabilities(x, _probabilities);
                }

                _position = position;
            }
        }
    }

    /// <summary>The output columns an active-column list asks for, and the input columns they need.</summary>
    private static (bool[] Active, List<DataViewSchema.Column> Inputs) Split(
        TinyNetPredictionTransformer parent, DataViewSchema input, DataViewSchema output, IEnumerable<DataViewSchema.Column> columns)
    {
        int added = output.Count - input.Count;
        var active = new bool[added];
        var inputs = new List<DataViewSchema.Column>();
        foreach (DataViewSchema.Column c in columns)
        {
            if (c.Index < input.Count)
            {
                inputs.Add(input[c.Index]);
            }
            else
            {
                active[c.Index - input.Count] = true;
            }
        }

        if (active.Any(a => a))
        {
            inputs.Add(input[parent.FeatureColumnName]);
        }

        return (active, inputs);
    }

    /// <summary>Input columns pass through; added column k is active if it was asked for.</summary>
    private static bool IsActive(DataViewRow input, bool[] active, DataViewSchema.Column column) =>
        column.Index < input.Schema.Count ? input.IsColumnActive(input.Schema[column.Index]) : active[column.Index - input.Schema.Count];

    /// <summary>The getter of an input column (from the input row) or of an added score column (from the scorer).</summary>
    private static ValueGetter<TValue> Getter<TValue>(DataViewRow input, RowScorer scorer, bool[] active, DataViewSchema.Column column)
    {
        if (column.Index < input.Schema.Count)
        {
            return input.GetGetter<TValue>(input.Schema[column.Index]);
        }

        if (!active[column.Index - input.Schema.Count])
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
        }

        return scorer.Getter(column.Index - input.Schema.Count) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
    }

    private sealed class ScoredDataView(TinyNetPredictionTransformer parent, IDataView input, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => input.CanShuffle;

        public DataViewSchema Schema => schema;

        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            (bool[] active, List<DataViewSchema.Column> inputs) = Split(parent, input.Schema, schema, columnsNeeded);
            return new ScoredCursor(parent, input.GetRowCursor(inputs, rand), schema, active);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        {
            (bool[] active, List<DataViewSchema.Column> inputs) = Split(parent, input.Schema, schema, columnsNeeded);
            return [.. input.GetRowCursorSet(inputs, n, rand).Select(c => (DataViewRowCursor)new ScoredCursor(parent, c, schema, active))];
        }
    }

    private sealed class ScoredCursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly DataViewSchema _schema;
        private readonly bool[] _active;
        private readonly RowScorer _scorer;

        public ScoredCursor(TinyNetPredictionTransformer parent, DataViewRowCursor input, DataViewSchema schema, bool[] active)
        {
            _input = input;
            _schema = schema;
            _active = active;
            _scorer = new RowScorer(parent, input, active.Any(a => a));
        }

        public override DataViewSchema Schema => _schema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override bool MoveNext() => _input.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => IsActive(_input, _active, column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Getter<TValue>(_input, _scorer, _active, column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class ScoredRow(TinyNetPredictionTransformer parent, DataViewRow input, DataViewSchema schema, bool[] active) : DataViewRow
    {
        private readonly RowScorer _scorer = new(parent, input, active.Any(a => a));

        public override DataViewSchema Schema => schema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => IsActive(input, active, column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Getter<TValue>(input, _scorer, active, column);
    }

    private sealed class Mapper(TinyNetPredictionTransformer parent, DataViewSchema inputSchema, DataViewSchema outputSchema) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inputSchema;

        public DataViewSchema OutputSchema => outputSchema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
            Split(parent, inputSchema, outputSchema, dependingColumns).Inputs;

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            new ScoredRow(parent, input, outputSchema, Split(parent, inputSchema, outputSchema, activeColumns).Active);
    }
}

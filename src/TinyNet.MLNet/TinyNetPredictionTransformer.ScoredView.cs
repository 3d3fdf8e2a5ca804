using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>
/// The scored view: the cursors, rows and row mapper through which Transform and a PredictionEngine read the score columns,
/// each row scored once by the float32 scorer.
/// </summary>
public sealed partial class TinyNetPredictionTransformer
{
    /// <summary>Computes the score columns of one input row, once per row position; its task's getters read it.</summary>
    internal sealed class RowScorer
    {
        private readonly Scorer _scorer;
        private readonly TinyNetTask _task;
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
            _task = TinyNetTask.For(parent.Model.Head);
            _probabilities = _task.HasClasses ? new float[parent.Model.OutputCount] : null;
            _features = anyScoreActive ? input.GetGetter<VBuffer<float>>(input.Schema[parent.FeatureColumnName]) : null;
        }

        /// <summary>The getter of added column <paramref name="k"/>, in the task's column order.</summary>
        public Delegate Getter(int k) => _task.Getter(this, k);

        /// <summary>The current row's K class probabilities (a task with classes).</summary>
        public float[] Probabilities()
        {
            Score();
            return _probabilities!;
        }

        /// <summary>The current row's logit z2 (a one-output task).</summary>
        public float Logit()
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

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>Reads a training view once, through one row cursor, into the contiguous float buffers of a <see cref="DataSet"/>.</summary>
internal static class DataViewReader
{
    /// <param name="Data">The rows read (multiclass labels are classes 0 … K − 1: key value − 1).</param>
    /// <param name="RowsRead">Rows the cursor gave.</param>
    /// <param name="RowsSkipped">Rows skipped for missing values.</param>
    /// <param name="Classes">Multiclass: the K classes the labels index (the label key's, or the training classes the labels were mapped to); null otherwise.</param>
    public sealed record Result(DataSet Data, long RowsRead, long RowsSkipped, ClassLabels? Classes = null);

    /// <summary>
    /// Reads <paramref name="data"/> (the <paramref name="role"/> data, named in every error). Multiclass with
    /// <paramref name="trainingClasses"/> (a validation set): each row's class is mapped by key value to its index among
    /// the training classes, so a label keyed in another order (a MapValueToKey fitted on other rows) means the same
    /// classes; a class the training label lacks, or key values that cannot be compared, are refused naming both lists.
    /// </summary>
    public static Result Read(IDataView data, TinyNetTrainerOptions options, string role, ClassLabels? trainingClasses = null)
    {
        ArgumentNullException.ThrowIfNull(data, role);
        DataViewSchema schema = data.Schema;
        DataViewSchema.Column features = Find(schema, options.FeatureColumnName, "feature", role);
        if (features.Type is not VectorDataViewType { ItemType: var item, IsKnownSize: true } vector || item != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(options.FeatureColumnName),
                $"Schema mismatch for feature column '{features.Name}': expected known-size vector of Single, got {features.Type} in the {role} data.");
        }

        DataViewSchema.Column label = Find(schema, options.LabelColumnName, "label", role);
        LabelReader labels = TinyNetTask.For(options.Head).Labels(label, role, trainingClasses);

        DataViewSchema.Column? weight = null;
        if (options.ExampleWeightColumnName is { } weightName)
        {
            weight = Find(schema, weightName, "example weight", role);
            if (weight.Value.Type != NumberDataViewType.Single)
            {
                throw new ArgumentOutOfRangeException(nameof(options.ExampleWeightColumnName),
                    $"Schema mismatch for example weight column '{weightName}': expected Single, got {weight.Value.Type} in the {role} data.");
            }
        }

        int d = vector.Size;
        var columns = new List<DataViewSchema.Column> { features, label };
        if (weight is { } w)
        {
            columns.Add(w);
        }

        // Start from the row count when the view knows it (no 1024 × D guess: D = 100,000 on 10 rows allocated 453 MB),
        // otherwise from 16 rows; Growable doubles from there.
        long? knownRows = data.GetRowCount();
        int startRows = knownRows is { } k && k >= 0 ? (int)Math.Min(k, Array.MaxLength / d) : 16;
        var x = new Growable<float>((long)startRows * d, $"the {role} data's features ({d} per row)");
        var y = new Growable<float>(startRows, $"the {role} data's labels");
        Growable<float>? s = weight is null ? null : new Growable<float>(startRows, $"the {role} data's weights");
        long read = 0, skipped = 0;
        using (DataViewRowCursor cursor = data.GetRowCursor(columns))
        {
            ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            Func<long, float> getLabel = labels.Open(cursor);
            ValueGetter<float>? getWeight = weight is { } wc ? cursor.GetGetter<float>(wc) : null;
            VBuffer<float> buffer = default;
            var row = new float[d];
            while (cursor.MoveNext())
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                getFeatures(ref buffer);
                if (buffer.Length != d)
                {
                    // VBuffer.CopyTo of a shorter vector leaves the previous row's values in the tail: never train on that.
                    throw new ArgumentException(
                        $"{role}: row {read} of feature column '{features.Name}' has {buffer.Length} values, but the column's type says {d}. " +
                        $"Every row must hold exactly {d} features.", role);
                }

                buffer.CopyTo(row);
                float labelValue = getLabel(read), weightValue = 1;
                getWeight?.Invoke(ref weightValue);
                string? problem = Problem(row, labelValue, weightValue, features.Name, label.Name, options.ExampleWeightColumnName, labels.Classes is not null);
                if (problem is not null)
                {
                    if (!options.SkipRowsWithMissingValues)
                    {
                        throw new ArgumentException(
                            $"{role}: row {read} has {problem}. Replace missing values first (for example ReplaceMissingValues), " +
                            $"or set {nameof(TinyNetTrainerOptions.SkipRowsWithMissingValues)} to skip such rows.", role);
                    }

                    skipped++;
                }
                else
                {
                    x.Append(row);
                    y.Append(labelValue);
                    s?.Append(weightValue);
                }

                read++;
            }
        }

        if (y.Count == 0)
        {
            throw new ArgumentException(
                read == 0 ? $"{role} has no rows; at least one row is required." : $"{role}: all {read} rows were skipped for missing values.", role);
        }

        if (s is not null && !s.Items.ContainsAnyExcept(0f))
        {
            throw new ArgumentOutOfRangeException(nameof(options.ExampleWeightColumnName),
                $"{role}: every one of the {y.Count} rows has weight 0 in example weight column '{options.ExampleWeightColumnName}'" +
                (skipped > 0 ? $" ({skipped} more rows were skipped for missing values)" : "") +
                ", so there is nothing to train on. At least one row needs a positive weight.");
        }

        return new Result(DataSet.FromRowMajor(x.ToArray(), d, y.ToArray(), s?.ToArray()), read, skipped, labels.Classes);
    }

    private static string? Problem(float[] row, float label, float weight, string featureName, string labelName, string? weightName, bool keyLabel)
    {
        for (int j = 0; j < row.Length; j++)
        {
            if (!float.IsFinite(row[j]))
            {
                return $"{row[j]} in slot {j} of feature column '{featureName}'";
            }
        }

        if (!float.IsFinite(label))
        {
            return keyLabel
                ? $"a missing label (key 0: a value the MapValueToKey before it did not know, or an empty one) in label column '{labelName}'"
                : $"{label} in label column '{labelName}'";
        }

        return float.IsFinite(weight) && weight >= 0 ? null : $"{weight} in example weight column '{weightName}' (weights must be finite and ≥ 0)";
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string what, string role) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(name,
            $"The {what} column '{name}' is not in the {role} data. Its columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");

    /// <summary>An append-only buffer that doubles when full, up to the largest .NET array (then a clear error).</summary>
    private sealed class Growable<T>(long capacity, string what)
    {
        private T[] _items = new T[Math.Clamp(capacity, 16, Array.MaxLength)];

        public int Count { get; private set; }

        public ReadOnlySpan<T> Items => _items.AsSpan(0, Count);

        public void Append(T value) => Append([value]);

        public void Append(ReadOnlySpan<T> values)
        {
            long needed = (long)Count + values.Length;
            if (needed > _items.Length)
            {
                if (needed > Array.MaxLength)
                {
                    throw new InvalidOperationException(
                        $"{what} do not fit in one .NET array ({Array.MaxLength:N0} values at most); train on fewer rows.");
                }

                Array.Resize(ref _items, (int)Math.Min(Math.Max(2L * _items.Length, needed), Array.MaxLength));
            }

            values.CopyTo(_items.AsSpan(Count));
            Count += values.Length;
        }

        public T[] ToArray() => Count == _items.Length ? _items : Items.ToArray();
    }
}

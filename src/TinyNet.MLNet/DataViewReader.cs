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
        ClassLabels? classes = options.Head == Head.MulticlassClassification ? Classes(label, role) : null;
        int[]? classIndex = classes is not null && trainingClasses is not null ? TrainingIndex(classes, trainingClasses, label.Name, role) : null;
        DataViewType expectedLabel = options.Head == Head.BinaryClassification ? BooleanDataViewType.Instance : NumberDataViewType.Single;
        if (classes is null && label.Type != expectedLabel)
        {
            throw new ArgumentOutOfRangeException(nameof(options.LabelColumnName),
                $"Schema mismatch for label column '{label.Name}': expected {expectedLabel}, got {label.Type} in the {role} data." + LabelAdvice(options.Head, label));
        }

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
            ValueGetter<float>? getSingleLabel = options.Head == Head.Regression ? cursor.GetGetter<float>(label) : null;
            ValueGetter<bool>? getBoolLabel = options.Head == Head.BinaryClassification ? cursor.GetGetter<bool>(label) : null;
            ValueGetter<uint>? getKeyLabel = classes is not null ? cursor.GetGetter<uint>(label) : null;
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
                float labelValue = 0, weightValue = 1;
                if (getKeyLabel is not null)
                {
                    uint key = 0;
                    getKeyLabel(ref key);
                    if (key > classes!.Count)
                    {
                        throw new ArgumentException(
                            $"{role}: row {read} of label column '{label.Name}' holds key {key}, outside the key type's 1 … {classes.Count}.", role);
                    }

                    labelValue = key == 0 ? float.NaN : key - 1;    // key 0 is ML.NET's missing value (a value MapValueToKey did not know)
                    if (classIndex is not null && key > 0)
                    {
                        labelValue = classIndex[key - 1] >= 0 ? classIndex[key - 1] : throw new ArgumentException(
                            $"{role}: row {read} of label column '{label.Name}' holds class '{classes.Names[(int)key - 1]}', which the training " +
                            $"label does not have (its classes: {trainingClasses!.Describe()}). Key both sets with one MapValueToKey fitted on " +
                            "every class, or leave such rows out.", role);
                    }
                }
                else if (getBoolLabel is not null)
                {
                    bool b = false;
                    getBoolLabel(ref b);
                    labelValue = b ? 1f : 0f;
                }
                else
                {
                    getSingleLabel!(ref labelValue);
                }

                getWeight?.Invoke(ref weightValue);
                string? problem = Problem(row, labelValue, weightValue, features.Name, label.Name, options.ExampleWeightColumnName, classes is not null);
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

        return new Result(DataSet.FromRowMajor(x.ToArray(), d, y.ToArray(), s?.ToArray()), read, skipped, classIndex is null ? classes : trainingClasses);
    }

    /// <summary>
    /// For each class of a validation label, its index among the training classes (−1 where training lacks it), matched by
    /// key value; refuses key values that cannot be compared.
    /// </summary>
    private static int[] TrainingIndex(ClassLabels classes, ClassLabels trainingClasses, string labelName, string role) =>
        classes.IndexIn(trainingClasses) ?? throw new ArgumentException(
            $"{role}: label column '{labelName}' is keyed over {classes.Describe()}, the training label over {trainingClasses.Describe()}; " +
            "their classes cannot be matched by value. Key both sets with one MapValueToKey, fitted once.", role);

    /// <summary>The classes of a multiclass label column: a key type (of UInt32, as MapValueToKey makes) with K ≥ 2 values.</summary>
    private static ClassLabels Classes(DataViewSchema.Column label, string role)
    {
        if (label.Type is KeyDataViewType other && other.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException("LabelColumnName",
                $"Schema mismatch for label column '{label.Name}': expected Key<UInt32>, got {label.Type} in the {role} data. " +
                $"MapValueToKey makes UInt32 keys: key the label with mlContext.Transforms.Conversion.MapValueToKey(\"{label.Name}\") " +
                "instead of converting it to another key type.");
        }

        if (label.Type is not KeyDataViewType key)
        {
            throw new ArgumentOutOfRangeException("LabelColumnName",
                $"Schema mismatch for label column '{label.Name}': multiclass classification needs a key type, got {label.Type} in the {role} data. " +
                $"Map the label to a key first: mlContext.Transforms.Conversion.MapValueToKey(\"{label.Name}\").");
        }

        if (key.Count < 2 || key.Count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException("LabelColumnName",
                $"Label column '{label.Name}' is a key over {key.Count} value(s); multiclass classification needs at least 2 classes " +
                "(with two, the binary trainer is the same model with one output).");
        }

        return ClassLabels.Of(label, (int)key.Count);
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

    /// <summary>How to get the label this head needs from the one given, written as the ONNX-exportable transforms.</summary>
    private static string LabelAdvice(Head head, DataViewSchema.Column label) => (head, label.Type) switch
    {
        (Head.BinaryClassification, TextDataViewType) =>
            $" Map the label's text to Boolean first: mlContext.Transforms.Conversion.MapValue(\"{label.Name}\", " +
            $"new[] {{ new KeyValuePair<string, bool>(\"yes\", true), new(\"no\", false) }}, \"{label.Name}\") with your two values, " +
            "or load the column as bool.",
        (Head.BinaryClassification, _) =>
            $" Load the label as bool, or map its values to Boolean first with mlContext.Transforms.Conversion.MapValue(\"{label.Name}\", …).",
        (Head.Regression, NumberDataViewType) =>
            $" Convert it first: mlContext.Transforms.Conversion.ConvertType(\"{label.Name}\", outputKind: DataKind.Single).",
        _ => "",
    };

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

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>
/// Multiclass classification: a key label over K ≥ 2 classes (as MapValueToKey makes); adds Score, the vector of the K
/// class probabilities with its slots named by the classes, and PredictedLabel, a key over the K classes carrying the
/// training label's key values (the key 1 … K of the most probable class, the first on a tie; key 0, ML.NET's missing
/// value, when no probability is a number, as ML.NET's multiclass scorer gives for a NaN feature).
/// </summary>
internal sealed class MulticlassTask : TinyNetTask
{
    private const string Kind = "MulticlassClassification";

    public override Head Head => Head.MulticlassClassification;

    public override bool HasClasses => true;

    /// <summary>
    /// Reads the key label as class numbers (key value − 1; key 0, ML.NET's missing value, as NaN). With
    /// <paramref name="trainingClasses"/> (a validation set) each class is mapped by key value to its index among the training
    /// classes, so a label keyed in another order means the same classes; a class training lacks, or key values that cannot
    /// be compared, are refused naming both lists.
    /// </summary>
    public override LabelReader Labels(DataViewSchema.Column label, string role, ClassLabels? trainingClasses)
    {
        ClassLabels classes = Classes(label, role);
        int[]? classIndex = trainingClasses is null ? null : classes.IndexIn(trainingClasses) ?? throw new ArgumentException(
            $"{role}: label column '{label.Name}' is keyed over {classes.Describe()}, the training label over {trainingClasses.Describe()}; " +
            "their classes cannot be matched by value. Key both sets with one MapValueToKey, fitted once.", role);
        return new LabelReader(classIndex is null ? classes : trainingClasses, cursor =>
        {
            ValueGetter<uint> get = cursor.GetGetter<uint>(label);
            return row =>
            {
                uint key = 0;
                get(ref key);
                if (key > classes.Count)
                {
                    throw new ArgumentException(
                        $"{role}: row {row} of label column '{label.Name}' holds key {key}, outside the key type's 1 … {classes.Count}.", role);
                }

                if (key == 0)
                {
                    return float.NaN;    // key 0 is ML.NET's missing value (a value MapValueToKey did not know)
                }

                return classIndex is null ? key - 1 : classIndex[key - 1] >= 0 ? classIndex[key - 1] : throw new ArgumentException(
                    $"{role}: row {row} of label column '{label.Name}' holds class '{classes.Names[(int)key - 1]}', which the training " +
                    $"label does not have (its classes: {trainingClasses!.Describe()}). Key both sets with one MapValueToKey fitted on " +
                    "every class, or leave such rows out.", role);
            };
        });
    }

    public override ClassLabels? ClassesOf(SchemaShape.Column label, string labelName)
    {
        if (!label.IsKey)
        {
            throw new ArgumentOutOfRangeException("inputSchema",
                $"Schema mismatch for label column '{labelName}': multiclass classification needs a key type. " +
                $"Map the label to a key first: mlContext.Transforms.Conversion.MapValueToKey(\"{labelName}\").");
        }

        return ClassLabels.Placeholder(label.Annotations.FirstOrDefault(a => a.Name == "KeyValues") is { Name: not null } keyValues ? keyValues.ItemType : null);
    }

    public override void AddScoreColumns(DataViewSchema.Builder builder, uint setId, ClassLabels? classes)
    {
        classes ??= ClassLabels.Unnamed(2);   // the estimator's output shape, before K is known
        var score = new DataViewSchema.Annotations.Builder();
        score.Add(ScoreColumns.Annotations(Kind, "Score", setId, normalized: null), _ => true);
        classes.AddSlotNames(score);
        builder.AddColumn(ScoreColumns.Score, new VectorDataViewType(NumberDataViewType.Single, classes.Count), score.ToAnnotations());
        var predicted = new DataViewSchema.Annotations.Builder();
        predicted.Add(ScoreColumns.Annotations(Kind, "PredictedLabel", setId, normalized: null), _ => true);
        classes.AddKeyValues(predicted);
        builder.AddColumn(ScoreColumns.PredictedLabel, new KeyDataViewType(typeof(uint), classes.Count), predicted.ToAnnotations());
    }

    public override Delegate Getter(TinyNetPredictionTransformer.RowScorer row, int column) => column switch
    {
        0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
        {
            float[] p = row.Probabilities();
            var editor = VBufferEditor.Create(ref v, p.Length);
            p.CopyTo(editor.Values);
            v = editor.Commit();
        }),
        _ => (ValueGetter<uint>)((ref uint v) => v = (uint)(Scorer.PredictedClass(row.Probabilities()) + 1)),
    };

    /// <summary>The classes of a multiclass label column: a key type (of UInt32, as MapValueToKey makes) with K ≥ 2 values.</summary>
    private static ClassLabels Classes(DataViewSchema.Column label, string role)
    {
        if (label.Type is KeyDataViewType other && other.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException(nameof(TinyNetTrainerOptions.LabelColumnName),
                $"Schema mismatch for label column '{label.Name}': expected Key<UInt32>, got {label.Type} in the {role} data. " +
                $"MapValueToKey makes UInt32 keys: key the label with mlContext.Transforms.Conversion.MapValueToKey(\"{label.Name}\") " +
                "instead of converting it to another key type.");
        }

        if (label.Type is not KeyDataViewType key)
        {
            throw new ArgumentOutOfRangeException(nameof(TinyNetTrainerOptions.LabelColumnName),
                $"Schema mismatch for label column '{label.Name}': multiclass classification needs a key type, got {label.Type} in the {role} data. " +
                $"Map the label to a key first: mlContext.Transforms.Conversion.MapValueToKey(\"{label.Name}\").");
        }

        if (key.Count < 2 || key.Count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(TinyNetTrainerOptions.LabelColumnName),
                $"Label column '{label.Name}' is a key over {key.Count} value(s); multiclass classification needs at least 2 classes " +
                "(with two, the binary trainer is the same model with one output).");
        }

        return ClassLabels.Of(label, (int)key.Count);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>
/// Binary classification: a Boolean label; adds Score (the logit z2), Probability (σ(z2)) and PredictedLabel
/// (σ(z2) ≥ 0.5, so false for a NaN row), as ML.NET's binary trainers.
/// </summary>
internal sealed class BinaryTask : TinyNetTask
{
    private const string Kind = "BinaryClassification";

    public override Head Head => Head.BinaryClassification;

    public override LabelReader Labels(DataViewSchema.Column label, string role, ClassLabels? trainingClasses)
    {
        CheckType(label, BooleanDataViewType.Instance, role, label.Type is TextDataViewType
            ? $" Map the label's text to Boolean first: mlContext.Transforms.Conversion.MapValue(\"{label.Name}\", " +
              $"new[] {{ new KeyValuePair<string, bool>(\"yes\", true), new(\"no\", false) }}, \"{label.Name}\") with your two values, " +
              "or load the column as bool."
            : $" Load the label as bool, or map its values to Boolean first with mlContext.Transforms.Conversion.MapValue(\"{label.Name}\", …).");
        return new LabelReader(null, cursor =>
        {
            ValueGetter<bool> get = cursor.GetGetter<bool>(label);
            return _ =>
            {
                bool y = false;
                get(ref y);
                return y ? 1f : 0f;
            };
        });
    }

    public override void AddScoreColumns(DataViewSchema.Builder builder, uint setId, ClassLabels? classes)
    {
        builder.AddColumn(ScoreColumns.Score, NumberDataViewType.Single, ScoreColumns.Annotations(Kind, "Score", setId, normalized: null));
        builder.AddColumn(ScoreColumns.Probability, NumberDataViewType.Single, ScoreColumns.Annotations(Kind, "Probability", setId, normalized: true));
        builder.AddColumn(ScoreColumns.PredictedLabel, BooleanDataViewType.Instance, ScoreColumns.Annotations(Kind, "PredictedLabel", setId, normalized: null));
    }

    public override Delegate Getter(TinyNetPredictionTransformer.RowScorer row, int column) => column switch
    {
        0 => (ValueGetter<float>)((ref float v) => v = row.Logit()),
        1 => (ValueGetter<float>)((ref float v) => v = (float)Activations.Sigmoid(row.Logit())),
        _ => (ValueGetter<bool>)((ref bool v) => v = Activations.Sigmoid(row.Logit()) >= 0.5),
    };
}

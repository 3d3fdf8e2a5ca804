using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>Regression: a Single label; adds Score (the prediction), as ML.NET's regression trainers.</summary>
internal sealed class RegressionTask : TinyNetTask
{
    public override Head Head => Head.Regression;

    public override LabelReader Labels(DataViewSchema.Column label, string role, ClassLabels? trainingClasses)
    {
        CheckType(label, NumberDataViewType.Single, role, label.Type is NumberDataViewType
            ? $" Convert it first: mlContext.Transforms.Conversion.ConvertType(\"{label.Name}\", outputKind: DataKind.Single)."
            : "");
        return new LabelReader(null, cursor =>
        {
            ValueGetter<float> get = cursor.GetGetter<float>(label);
            return _ =>
            {
                float y = 0;
                get(ref y);
                return y;
            };
        });
    }

    public override void AddScoreColumns(DataViewSchema.Builder builder, uint setId, ClassLabels? classes) =>
        builder.AddColumn(ScoreColumns.Score, NumberDataViewType.Single, ScoreColumns.Annotations("Regression", "Score", setId, normalized: null));

    public override Delegate Getter(TinyNetPredictionTransformer.RowScorer row, int column) =>
        (ValueGetter<float>)((ref float v) => v = row.Logit());
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>The columns TinyNet adds, named and annotated as ML.NET's built-in trainers do.</summary>
internal static class ScoreColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>
    /// <paramref name="input"/> followed by Score (and, for binary classification, Probability and PredictedLabel; for
    /// multiclass, Score is a vector of the K class probabilities, its slots named by the classes, and PredictedLabel a key
    /// over the K classes carrying the training label's key values).
    /// </summary>
    public static DataViewSchema Add(DataViewSchema input, Head head, ClassLabels? classes = null)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        uint setId = NextSetId(input);
        if (head == Head.MulticlassClassification)
        {
            classes ??= ClassLabels.Unnamed(2);   // the estimator's output shape, before K is known
            const string Multiclass = "MulticlassClassification";
            var score = new DataViewSchema.Annotations.Builder();
            score.Add(Annotations(Multiclass, "Score", setId, normalized: null), _ => true);
            classes.AddSlotNames(score);
            builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, classes.Count), score.ToAnnotations());
            var predicted = new DataViewSchema.Annotations.Builder();
            predicted.Add(Annotations(Multiclass, "PredictedLabel", setId, normalized: null), _ => true);
            classes.AddKeyValues(predicted);
            builder.AddColumn(PredictedLabel, new KeyDataViewType(typeof(uint), classes.Count), predicted.ToAnnotations());
            return builder.ToSchema();
        }

        string kind = head == Head.BinaryClassification ? "BinaryClassification" : "Regression";
        builder.AddColumn(Score, NumberDataViewType.Single, Annotations(kind, "Score", setId, normalized: null));
        if (head == Head.BinaryClassification)
        {
            builder.AddColumn(Probability, NumberDataViewType.Single, Annotations(kind, "Probability", setId, normalized: true));
            builder.AddColumn(PredictedLabel, BooleanDataViewType.Instance, Annotations(kind, "PredictedLabel", setId, normalized: null));
        }

        return builder.ToSchema();
    }

    private static DataViewSchema.Annotations Annotations(string kind, string valueKind, uint setId, bool? normalized)
    {
        var a = new DataViewSchema.Annotations.Builder();
        a.Add("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = kind.AsMemory());
        a.Add("ScoreValueKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = valueKind.AsMemory());
        a.Add("ScoreColumnSetId", new KeyDataViewType(typeof(uint), int.MaxValue), (ref uint v) => v = setId);
        if (normalized is { } n)
        {
            a.Add("IsNormalized", BooleanDataViewType.Instance, (ref bool v) => v = n);
        }

        return a.ToAnnotations();
    }

    /// <summary>One more than the largest ScoreColumnSetId already in the schema, as ML.NET's scorers number theirs.</summary>
    private static uint NextSetId(DataViewSchema input)
    {
        uint max = 0;
        foreach (DataViewSchema.Column c in input)
        {
            if (c.Annotations.Schema.GetColumnOrNull("ScoreColumnSetId") is { Type: KeyDataViewType { RawType: var raw } } && raw == typeof(uint))
            {
                uint id = 0;
                c.Annotations.GetValue("ScoreColumnSetId", ref id);
                max = Math.Max(max, id);
            }
        }

        return max + 1;
    }
}

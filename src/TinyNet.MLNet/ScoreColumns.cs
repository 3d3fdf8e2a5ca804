using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>The columns TinyNet adds, named and annotated as ML.NET's built-in trainers do.</summary>
internal static class ScoreColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary><paramref name="input"/> followed by the score columns of <paramref name="task"/> (<see cref="TinyNetTask.AddScoreColumns"/>).</summary>
    public static DataViewSchema Add(DataViewSchema input, TinyNetTask task, ClassLabels? classes = null)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        task.AddScoreColumns(builder, NextSetId(input), classes);
        return builder.ToSchema();
    }

    /// <summary>The annotations ML.NET's scorers put on a score column: its kind, value kind, set id and, for probabilities, IsNormalized.</summary>
    public static DataViewSchema.Annotations Annotations(string kind, string valueKind, uint setId, bool? normalized)
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

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.Examples.Compare;

/// <summary>The same featurisation for every trainer.</summary>
internal static class Featurizer
{
    public static string Describe(Normalizer normalizer) => normalizer switch
    {
        Normalizer.MeanVariance => "NormalizeMeanVariance (ML.NET's default: scales, does not centre)",
        Normalizer.MeanVarianceCentred => "NormalizeMeanVariance(fixZero: false)",
        Normalizer.MinMax => "NormalizeMinMax",
        Normalizer.Robust => "NormalizeRobustScaling on the numeric columns (median, IQR; one-hot columns as they are)",
        _ => "no normaliser",
    };

    public static IEstimator<ITransformer> Build(MLContext ml, CsvTable table, int labelIndex, DataSpec spec, string? positive, Normalizer normalizer)
    {
        string[] numeric = [.. Enumerable.Range(0, table.Header.Length).Where(c => c != labelIndex && table.IsNumeric[c]).Select(c => table.Header[c])];
        string[] text = [.. Enumerable.Range(0, table.Header.Length).Where(c => c != labelIndex && !table.IsNumeric[c]).Select(c => table.Header[c])];
        IEstimator<ITransformer> label = spec.Task switch
        {
            TaskKind.Binary => ml.Transforms.Conversion.MapValue("Label",
                table.Rows.Select(r => r[labelIndex]).Distinct().Select(v => new KeyValuePair<string, bool>(v, v == positive)), spec.Label),
            // Every class of the whole file, sorted, so that each split's key (and so each trainer's classes) is the same.
            TaskKind.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", spec.Label, keyData: ml.Data.LoadFromEnumerable(
                table.Rows.Select(r => r[labelIndex]).Distinct().Order(StringComparer.Ordinal).Select(v => new LabelValue { Value = v })),
                keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue),
            _ => ml.Transforms.CopyColumns("Label", spec.Label),
        };
        IEstimator<ITransformer> pipeline = label;
        if (numeric.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair("__num_" + c, c))]));
        }

        if (text.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding([.. text.Select(c => new InputOutputColumnPair("__cat_" + c, c))]));
        }

        if (normalizer == Normalizer.Robust)
        {
            // Median and IQR on the numeric columns only: ML.NET's robust scaler fails (IndexOutOfRangeException) on the
            // one-hot vectors of credit_data, and one-hot columns have an IQR of 0 in most sets anyway.
            if (numeric.Length == 0)
            {
                return pipeline.Append(ml.Transforms.Concatenate("Features", [.. text.Select(c => "__cat_" + c)]));
            }

            return pipeline
                .Append(ml.Transforms.Concatenate("__numeric", [.. numeric.Select(c => "__num_" + c)]))
                .Append(ml.Transforms.NormalizeRobustScaling("__numeric"))
                .Append(ml.Transforms.Concatenate("Features", ["__numeric", .. text.Select(c => "__cat_" + c)]));
        }

        pipeline = pipeline.Append(ml.Transforms.Concatenate("Features", [.. numeric.Select(c => "__num_" + c), .. text.Select(c => "__cat_" + c)]));
        return normalizer switch
        {
            Normalizer.MeanVariance => pipeline.Append(ml.Transforms.NormalizeMeanVariance("Features")),
            Normalizer.MeanVarianceCentred => pipeline.Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false)),
            Normalizer.MinMax => pipeline.Append(ml.Transforms.NormalizeMinMax("Features")),
            _ => pipeline,
        };
    }
}

/// <summary>One class name, for the key data of MapValueToKey.</summary>
internal sealed class LabelValue
{
    [ColumnName("Value")]
    public string Value { get; set; } = "";
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>The real data sets copied into data/ from the project's shared data sets, loaded column by column as a user would, and their featurisers.</summary>
internal static class RealData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    /// <summary>breast_cancer.csv: 30 Single columns and the string column "diagnosis".</summary>
    public static IDataView BreastCancer(MLContext ml) => Load(ml, "breast_cancer.csv", label: "diagnosis", textColumns: ["diagnosis"]);

    /// <summary>concrete.csv: 9 Single columns, the label "compressive_strength" last.</summary>
    public static IDataView Concrete(MLContext ml) => Load(ml, "concrete.csv", label: "compressive_strength", textColumns: []);

    /// <summary>credit_data.csv: categorical text columns and numeric columns with missing values.</summary>
    public static IDataView Credit(MLContext ml) => Load(ml, "credit_data.csv", label: "Status", textColumns: ["Status", "Home", "Marital", "Records", "Job"]);

    public static string[] NumericColumns(IDataView data, string label) =>
        [.. data.Schema.Where(c => c.Name != label && c.Type == NumberDataViewType.Single).Select(c => c.Name)];

    /// <summary>Label: "diagnosis" == malignant → Boolean; Features: the 30 columns, concatenated and normalised.</summary>
    public static IEstimator<ITransformer> BreastCancerFeaturizer(MLContext ml, IDataView data, bool minMax = false)
    {
        var label = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("malignant", true), new("benign", false) }, "diagnosis");
        var concat = ml.Transforms.Concatenate("Features", NumericColumns(data, "diagnosis"));
        IEstimator<ITransformer> normalize = minMax ? ml.Transforms.NormalizeMinMax("Features") : ml.Transforms.NormalizeMeanVariance("Features");
        return label.Append(concat).Append(normalize);
    }

    public static IEstimator<ITransformer> ConcreteFeaturizer(MLContext ml, IDataView data) =>
        ml.Transforms.CopyColumns("Label", "compressive_strength")
            .Append(ml.Transforms.Concatenate("Features", NumericColumns(data, "compressive_strength")))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));

    /// <summary>Status == bad → true; one-hot categoricals; numeric missing values replaced by the mean; normalised.</summary>
    public static IEstimator<ITransformer> CreditFeaturizer(MLContext ml, IDataView data)
    {
        string[] categorical = ["Home", "Marital", "Records", "Job"];
        string[] numeric = NumericColumns(data, "Status");
        return ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("bad", true), new("good", false) }, "Status")
            .Append(ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c + "_1h", c))]))
            .Append(ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair(c + "_r", c))]))
            .Append(ml.Transforms.Concatenate("Features", [.. categorical.Select(c => c + "_1h"), .. numeric.Select(c => c + "_r")]))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));
    }

    private static IDataView Load(MLContext ml, string file, string label, string[] textColumns)
    {
        string[] header = File.ReadLines(PathOf(file)).First().Split(',').Select(h => h.Trim('"')).ToArray();
        var columns = header.Select((name, i) => new TextLoader.Column(name, textColumns.Contains(name) ? DataKind.String : DataKind.Single, i)).ToArray();
        return ml.Data.LoadFromTextFile(PathOf(file), new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, Columns = columns });
    }
}

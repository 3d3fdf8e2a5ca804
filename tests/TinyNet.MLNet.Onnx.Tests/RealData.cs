using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Onnx.Tests;

/// <summary>breast_cancer, credit_data, concrete and iris (linked from TinyNet.MLNet.Tests/data), loaded as a user would.</summary>
internal static class RealData
{
    private static readonly Dictionary<string, string[]> TextColumns = new()
    {
        ["breast_cancer"] = ["diagnosis"],
        ["credit_data"] = ["Status", "Home", "Marital", "Records", "Job"],
        ["concrete"] = [],
        ["iris"] = ["class"],
    };

    public static IDataView Load(MLContext ml, string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", name + ".csv");
        string[] header = [.. File.ReadLines(path).First().Split(',').Select(h => h.Trim('"'))];
        TextLoader.Column[] columns = [.. header.Select((c, i) => new TextLoader.Column(c, TextColumns[name].Contains(c) ? DataKind.String : DataKind.Single, i))];
        return ml.Data.LoadFromTextFile(path, new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, Columns = columns });
    }

    public static string[] Numeric(IDataView data, string label) =>
        [.. data.Schema.Where(c => c.Name != label && c.Type == NumberDataViewType.Single).Select(c => c.Name)];
}

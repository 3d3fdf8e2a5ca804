// Train a pipeline ending in TinyNet on credit_data (categoricals, missing values), export the whole pipeline to ONNX
// with ConvertToOnnxWithTinyNet, and score one raw row with ONNX Runtime beside ML.NET.
//   dotnet run --project examples/ServeOnnx
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

string[] numeric = ["Seniority", "Time", "Age", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"];
string[] categorical = ["Home", "Marital", "Records", "Job"];
var ml = new MLContext(seed: 0);
var columns = new[] { new TextLoader.Column("Status", DataKind.String, 0) }
    .Concat(numeric.Select(c => new TextLoader.Column(c, DataKind.Single, Index(c))))
    .Concat(categorical.Select(c => new TextLoader.Column(c, DataKind.String, Index(c))))
    .ToArray();
IDataView raw = ml.Data.LoadFromTextFile(Path.Combine(AppContext.BaseDirectory, "credit_data.csv"),
    new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, Columns = columns });
IDataView data = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("bad", true), new("good", false) }, "Status")
    .Fit(raw).Transform(raw);

var pipeline = ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair(c + "_r", c))])
    .Append(ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c + "_1h", c))]))
    .Append(ml.Transforms.Concatenate("Features", [.. numeric.Select(c => c + "_r"), .. categorical.Select(c => c + "_1h")]))
    .Append(ml.BinaryClassification.Trainers.TinyNet());
ITransformer model = pipeline.Fit(data);

using (FileStream file = File.Create("credit.onnx"))
{
    ml.Model.ConvertToOnnxWithTinyNet(model, data, file);   // not ml.Model.ConvertToOnnx: it would leave the network out
}

// One raw row, as a service would receive it: every input of the ONNX graph is a [1, 1] tensor of the column's type.
DataViewSchema schema = data.Schema;
using var row = ml.Data.TakeRows(data, 1).GetRowCursor(schema);
row.MoveNext();
using var session = new InferenceSession("credit.onnx");
var inputs = new List<NamedOnnxValue>();
foreach (string name in session.InputMetadata.Keys)
{
    DataViewSchema.Column column = schema[name];
    if (column.Type is TextDataViewType)
    {
        ReadOnlyMemory<char> text = default;
        row.GetGetter<ReadOnlyMemory<char>>(column)(ref text);
        inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(new[] { text.ToString() }, [1, 1])));
    }
    else if (column.Type == BooleanDataViewType.Instance)
    {
        bool value = false;
        row.GetGetter<bool>(column)(ref value);
        inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(new[] { value }, [1, 1])));
    }
    else
    {
        float value = 0;
        row.GetGetter<float>(column)(ref value);
        inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(new[] { value }, [1, 1])));
    }
}

using var results = session.Run(inputs, ["Score", "Probability", "PredictedLabel"]);
float onnxProbability = results.First(r => r.Name == "Probability").AsTensor<float>()[0, 0];
bool onnxLabel = results.First(r => r.Name == "PredictedLabel").AsTensor<bool>()[0, 0];
float mlnetProbability = model.Transform(ml.Data.TakeRows(data, 1)).GetColumn<float>("Probability").First();
Console.WriteLine($"credit.onnx: {new FileInfo("credit.onnx").Length:N0} bytes, inputs {string.Join(", ", session.InputMetadata.Keys)}");
Console.WriteLine($"first row: ONNX Runtime P(bad) = {onnxProbability:F6} (predicted {(onnxLabel ? "bad" : "good")}); ML.NET P(bad) = {mlnetProbability:F6}");

static int Index(string column) => Array.IndexOf(File.ReadLines(Path.Combine(AppContext.BaseDirectory, "credit_data.csv")).First().Split(',').Select(h => h.Trim('"')).ToArray(), column);

// Loads a saved ML.NET model in a fresh process and prints the bits of every Score it gives on a CSV, one row per line
// (multiclass: the K probabilities' bits and the PredictedClass column, when the pipeline maps the key back to text).
//   ModelLoadProbe MODEL.zip DATA.csv [--no-register]
// Or opens an ONNX file in ONNX Runtime, in a process of its own so that ONNX Runtime's log (written to stderr, at
// warning level) is the caller's to read, and prints its inputs and outputs:
//   ModelLoadProbe onnx-session MODEL.onnx
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using TinyNet.MLNet;

if (args is ["onnx-session", var onnxPath])
{
    using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING };
    using var session = new InferenceSession(onnxPath, options);
    Console.WriteLine("inputs: " + string.Join(", ", session.InputMetadata.Keys));
    Console.WriteLine("outputs: " + string.Join(", ", session.OutputMetadata.Keys));
    return 0;
}

var ml = new MLContext(seed: 0);
if (!args.Contains("--no-register"))
{
    ml.ComponentCatalog.RegisterTinyNet();
}

try
{
    ITransformer model = ml.Model.Load(args[0], out DataViewSchema inputSchema);
    var loader = ml.Data.CreateTextLoader(new TextLoader.Options
    {
        Separators = [','], HasHeader = true, AllowQuoting = true,
        Columns = [.. inputSchema.Select(c => new TextLoader.Column(c.Name, c.Type is TextDataViewType ? DataKind.String : DataKind.Single, c.Index))]
    });
    IDataView scored = model.Transform(loader.Load(args[1]));
    if (scored.Schema["Score"].Type is VectorDataViewType)
    {
        // Multiclass: every class probability's bits, then the predicted class as the pipeline's MapKeyToValue gives it.
        string[] classes = scored.Schema.GetColumnOrNull("PredictedClass") is { } c && c.Type is TextDataViewType
            ? [.. scored.GetColumn<string>("PredictedClass")]
            : [];
        int row = 0;
        foreach (float[] scores in scored.GetColumn<float[]>("Score"))
        {
            string bits = string.Join(' ', scores.Select(s => BitConverter.SingleToInt32Bits(s).ToString("X8")));
            Console.WriteLine(classes.Length > 0 ? $"{bits} {classes[row]}" : bits);
            row++;
        }

        return 0;
    }

    foreach (float score in scored.GetColumn<float>("Score"))
    {
        Console.WriteLine(BitConverter.SingleToInt32Bits(score).ToString("X8"));
    }

    return 0;
}
catch (Exception e)
{
    for (Exception? x = e; x is not null; x = x.InnerException)
    {
        Console.Error.WriteLine(x.GetType().Name + ": " + x.Message);
    }

    return 1;
}

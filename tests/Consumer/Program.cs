// A TinyNet user's program written like every ML.NET sample: `using Microsoft.ML;` and nothing else.
//   Consumer train DIR   trains a pipeline ending in TinyNet, saves DIR/model.zip and DIR/scores.txt (float bits), and a
//                        multiclass one (MapValueToKey → TinyNet → MapKeyToValue) as DIR/multiclass.zip, DIR/multiclass.txt;
//                        trains LightGBM beside it (the same ML.NET) and runs ML.NET's standard PFI call on the TinyNet model
//   Consumer load DIR    in a fresh process, loads both with no registration call and checks the scores bit for bit and
//                        the predicted classes; then scores DIR/model.onnx (ConvertToOnnxWithTinyNet) with ONNX Runtime
// Exit code 0 when every check passes.
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

if (args.Length != 2 || args[0] is not ("train" or "load"))
{
    Console.Error.WriteLine("usage: Consumer train|load DIR");
    return 2;
}

string dir = args[1];
var ml = new MLContext(seed: 1);
IDataView data = ml.Data.LoadFromEnumerable(Rows(400));
string model = Path.Combine(dir, "model.zip"), scoresFile = Path.Combine(dir, "scores.txt");

if (args[0] == "train")
{
    // The packed TinyNet.MLNet.dll must carry ML.NET's LoadableClassAttribute (added at build time by TinyNet.AddLoader).
    bool attribute = typeof(TinyNetCatalog).Assembly.GetCustomAttributesData()
        .Any(a => a.AttributeType.FullName == "Microsoft.ML.LoadableClassAttribute");
    Console.WriteLine($"TinyNet.MLNet {typeof(TinyNetCatalog).Assembly.GetName().Version} from {typeof(TinyNetCatalog).Assembly.Location}, " +
        $"Microsoft.ML {typeof(MLContext).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0]}");
    if (!attribute)
    {
        Console.Error.WriteLine("FAIL: the packed TinyNet.MLNet.dll carries no LoadableClassAttribute");
        return 1;
    }

    var pipeline = ml.Transforms.Concatenate("Features", "X1", "X2", "X3")
        .Append(ml.Transforms.NormalizeMeanVariance("Features"))
        .Append(ml.BinaryClassification.Trainers.TinyNet());
    ITransformer trained = pipeline.Fit(data);
    ml.Model.Save(trained, data.Schema, model);
    using (FileStream onnx = File.Create(Path.Combine(dir, "model.onnx")))
    {
        ml.Model.ConvertToOnnxWithTinyNet(trained, data, onnx);
    }

    float[] scores = Scores(ml, trained, data);
    File.WriteAllLines(scoresFile, scores.Select(s => BitConverter.SingleToInt32Bits(s).ToString("X8")));
    var auc = ml.BinaryClassification.EvaluateNonCalibrated(trained.Transform(data)).AreaUnderRocCurve;
    Console.WriteLine($"trained and saved {model}: training AUC {auc:F4}");
    if (auc <= 0.8)
    {
        return Fail($"training AUC {auc:F4} is too low for this separable data");
    }

    // The built-in trainer users compare TinyNet with, from the same ML.NET in the same process.
    ITransformer lightGbm = ml.Transforms.Concatenate("Features", "X1", "X2", "X3")
        .Append(ml.BinaryClassification.Trainers.LightGbm()).Fit(data);
    Console.WriteLine($"LightGBM beside it: training AUC {ml.BinaryClassification.Evaluate(lightGbm.Transform(data)).AreaUnderRocCurve:F4}");

    // The PFI call of ML.NET's docs, on the whole pipeline: one entry per feature name.
    var importance = ml.BinaryClassification.PermutationFeatureImportanceNonCalibrated(trained, trained.Transform(data), permutationCount: 1);
    Console.WriteLine("PFI (AUC change): " + string.Join(", ", importance.Select(p => $"{p.Key} {p.Value.AreaUnderRocCurve.Mean:F3}")));
    if (!importance.Keys.Order().SequenceEqual(["X1", "X2", "X3"]))
    {
        return Fail($"PFI reported {string.Join(", ", importance.Keys)}, not the features X1, X2, X3");
    }

    // Multiclass: the label must be a key; the predicted key goes back to the class name.
    var multiclass = ml.Transforms.Conversion.MapValueToKey("Key", "Class")
        .Append(ml.Transforms.Concatenate("Features", "X1", "X2", "X3"))
        .Append(ml.MulticlassClassification.Trainers.TinyNet("Key"))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
    ITransformer classes = multiclass.Fit(data);
    ml.Model.Save(classes, data.Schema, Path.Combine(dir, "multiclass.zip"));
    File.WriteAllLines(Path.Combine(dir, "multiclass.txt"), ClassScores(ml, classes, data));
    var accuracy = ml.MulticlassClassification.Evaluate(classes.Transform(data), labelColumnName: "Key").MicroAccuracy;
    Console.WriteLine($"trained and saved the multiclass pipeline: training micro accuracy {accuracy:F4}");
    return accuracy > 0.9 ? 0 : Fail($"training micro accuracy {accuracy:F4} is too low for these classes");
}

// The multiclass pipeline: every probability's bits and the class name, as in the training process.
ITransformer loadedClasses = new MLContext().Model.Load(Path.Combine(dir, "multiclass.zip"), out _);
string[] classLines = [.. ClassScores(ml, loadedClasses, data)], savedClassLines = File.ReadAllLines(Path.Combine(dir, "multiclass.txt"));
int classDiffer = classLines.Where((l, i) => i >= savedClassLines.Length || l != savedClassLines[i]).Count() + Math.Abs(savedClassLines.Length - classLines.Length);
Console.WriteLine($"loaded multiclass.zip in a new process: {classLines.Length - classDiffer} of {classLines.Length} rows' probabilities and classes identical");
if (classDiffer != 0)
{
    return Fail($"{classDiffer} multiclass rows differ");
}

ITransformer loaded = new MLContext().Model.Load(model, out _);   // a fresh context, a fresh process, no registration
float[] again = Scores(ml, loaded, data);
string[] expected = File.ReadAllLines(scoresFile);
int differ = again.Where((s, i) => BitConverter.SingleToInt32Bits(s).ToString("X8") != expected[i]).Count();
Console.WriteLine($"loaded {model} in a new process: {again.Length - differ} of {again.Length} scores bit-identical");
if (differ != 0 || again.Length != expected.Length)
{
    return Fail($"{differ} scores differ");
}

// The exported ONNX model, fed the raw columns, gives the same scores within float tolerance.
Row[] rows = [.. Rows(400)];
using var session = new InferenceSession(Path.Combine(dir, "model.onnx"));
var inputs = session.InputMetadata.Keys.Select(name => name switch
{
    "X1" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.Select(r => r.X1).ToArray(), [rows.Length, 1])),
    "X2" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.Select(r => r.X2).ToArray(), [rows.Length, 1])),
    "X3" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(rows.Select(r => r.X3).ToArray(), [rows.Length, 1])),
    "Class" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(rows.Select(r => r.Class).ToArray(), [rows.Length, 1])),
    _ => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(rows.Select(r => r.Label).ToArray(), [rows.Length, 1])),
}).ToList();
using var results = session.Run(inputs, ["Score"]);
float[] onnxScores = [.. results[0].AsTensor<float>()];
int far = onnxScores.Where((s, i) => Math.Abs(s - again[i]) > 1e-4f * Math.Max(1f, Math.Abs(again[i]))).Count();
Console.WriteLine($"model.onnx through ONNX Runtime: {onnxScores.Length - far} of {onnxScores.Length} scores within 1e-4 of ML.NET's");
return far == 0 && onnxScores.Length == again.Length ? 0 : Fail($"{far} ONNX scores differ from ML.NET's");

static int Fail(string why)
{
    Console.Error.WriteLine("FAIL: " + why);
    return 1;
}

static float[] Scores(MLContext ml, ITransformer model, IDataView data) =>
    [.. ml.Data.CreateEnumerable<Prediction>(model.Transform(data), reuseRowObject: false).Select(p => p.Score)];

static IEnumerable<string> ClassScores(MLContext ml, ITransformer model, IDataView data) =>
    ml.Data.CreateEnumerable<ClassPrediction>(model.Transform(data), reuseRowObject: false)
        .Select(p => string.Join(' ', p.Score.Select(s => BitConverter.SingleToInt32Bits(s).ToString("X8"))) + " " + p.PredictedClass);

static IEnumerable<Row> Rows(int n)
{
    var random = new Random(7);
    for (int i = 0; i < n; i++)
    {
        float x1 = (float)random.NextDouble() * 100, x2 = (float)random.NextDouble() - 0.5f, x3 = (float)random.NextDouble();
        yield return new Row
        {
            X1 = x1, X2 = x2, X3 = x3, Label = x1 / 50 + 2 * x2 * x2 > 1.1 + 0.3 * random.NextDouble(),
            Class = x1 < 33 ? "low" : x1 < 66 ? "middle" : "high",
        };
    }
}

internal sealed class Prediction
{
    public float Score { get; set; }
}

internal sealed class ClassPrediction
{
    public float[] Score { get; set; } = [];

    public string PredictedClass { get; set; } = "";
}

internal sealed class Row
{
    public float X1 { get; set; }

    public float X2 { get; set; }

    public float X3 { get; set; }

    public bool Label { get; set; }

    public string Class { get; set; } = "";
}

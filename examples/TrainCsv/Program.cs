// TinyNet.Core alone, no ML.NET: train on a bundled CSV and print the loss curve.
//   dotnet run --project examples/TrainCsv                        (breast_cancer.csv, binary: malignant vs benign)
//   dotnet run --project examples/TrainCsv -- concrete            (concrete.csv, regression)
using System.Globalization;
using TinyNet;

string which = args.Length > 0 ? args[0] : "breast_cancer";
(string file, string label, Head head, string? positive) = which switch
{
    "breast_cancer" => ("breast_cancer.csv", "diagnosis", Head.BinaryClassification, "malignant"),
    "concrete" => ("concrete.csv", "compressive_strength", Head.Regression, (string?)null),
    _ => (null!, null!, default, null),
};
if (file is null)
{
    Console.Error.WriteLine($"Unknown data set '{which}'. Use breast_cancer or concrete.");
    return 2;
}

string path = Path.Combine(AppContext.BaseDirectory, "data", file);
string[] lines = File.ReadAllLines(path);
string[] header = Split(lines[0]);
int labelColumn = Array.IndexOf(header, label);
int d = header.Length - 1;
int n = lines.Length - 1;
var x = new float[n * d];
var y = new float[n];
for (int i = 0; i < n; i++)
{
    string[] cells = Split(lines[i + 1]);
    int j = 0;
    for (int c = 0; c < cells.Length; c++)
    {
        if (c == labelColumn)
        {
            y[i] = positive is null ? float.Parse(cells[c], CultureInfo.InvariantCulture) : cells[c] == positive ? 1f : 0f;
        }
        else
        {
            x[i * d + j++] = float.Parse(cells[c], CultureInfo.InvariantCulture);
        }
    }
}

// Shuffle once (seeded), hold out 20% for validation, standardise with the training rows' mean and deviation.
var order = Enumerable.Range(0, n).OrderBy(i => (i * 2654435761u) % 1000003).ToArray();
int nTrain = n * 4 / 5;
Standardise(x, d, order[..nTrain]);
float yMean = 0, yStd = 1;
if (head == Head.Regression)
{
    yMean = order[..nTrain].Average(i => y[i]);
    yStd = MathF.Sqrt(order[..nTrain].Average(i => (y[i] - yMean) * (y[i] - yMean)));
    for (int i = 0; i < n; i++)
    {
        y[i] = (y[i] - yMean) / yStd;
    }
}

DataSet train = Take(order[..nTrain]);
DataSet validation = Take(order[nTrain..]);
var options = new TrainerOptions { Head = head, HiddenUnits = 16, Epochs = 200, BatchSize = 32, LearningRate = 0.01, EarlyStoppingPatience = 20 };
Console.WriteLine($"TinyNet on {file}: {train.RowCount} training and {validation.RowCount} validation rows, D = {d}, H = {options.HiddenUnits}, {head}, Adam lr {options.LearningRate}, batch {options.BatchSize}.");
Console.WriteLine("epoch  training loss  validation loss");
TrainingResult result = Trainer.Train(train, options, validation, new Progress(p =>
{
    if (p.Epoch <= 10 || p.Epoch % 10 == 0)
    {
        Console.WriteLine($"{p.Epoch,5}  {p.TrainingLoss,13:F5}  {p.ValidationLoss,15:F5}");
    }
}));
Console.WriteLine($"Stopped after {result.History.EpochCount} epochs; best validation epoch {result.History.BestEpoch}.");

var predictions = new double[validation.RowCount];
result.Network.Predict(validation.Features.Span, predictions);
if (head == Head.BinaryClassification)
{
    int correct = Enumerable.Range(0, predictions.Length).Count(i => (predictions[i] >= 0.5) == (validation.Labels.Span[i] == 1f));
    Console.WriteLine($"Validation accuracy: {(double)correct / predictions.Length:P1}");
}
else
{
    double mse = Enumerable.Range(0, predictions.Length).Average(i => Math.Pow((predictions[i] - validation.Labels.Span[i]) * yStd, 2));
    Console.WriteLine($"Validation RMSE: {Math.Sqrt(mse):F3} (label units)");
}

return 0;

DataSet Take(int[] rows) => DataSet.FromRowMajor(
    rows.SelectMany(i => x.AsSpan(i * d, d).ToArray()).ToArray(), d, rows.Select(i => y[i]).ToArray());

static void Standardise(float[] x, int d, int[] trainRows)
{
    for (int j = 0; j < d; j++)
    {
        double mean = trainRows.Average(i => x[i * d + j]);
        double std = Math.Sqrt(trainRows.Average(i => Math.Pow(x[i * d + j] - mean, 2)));
        for (int i = 0; i < x.Length / d; i++)
        {
            x[i * d + j] = (float)((x[i * d + j] - mean) / (std > 0 ? std : 1));
        }
    }
}

static string[] Split(string line) => line.Split(',').Select(c => c.Trim('"')).ToArray();

internal sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}

using System.Globalization;
using Newtonsoft.Json;
using Snapshooter.Core.Serialization;

namespace TinyNet.Snapshots;

/// <summary>
/// Every double in a snapshot is written with 8 significant digits. The trajectories come from the deterministic double
/// reference, so on another CPU or runtime they can differ only through last-bit differences of Math.Exp/Math.Log,
/// which gradient descent carries forward without amplifying much (≈ 1e-14 relative after these short runs); 8 digits sit
/// far above that and far below any real change of the training loop: a learning rate changed by one part in a million
/// already moves the 8th digit (see <see cref="TrajectoryTests.Snapshots_detect_a_one_in_a_million_change_of_the_learning_rate"/>).
/// Snapshooter finds this class by reflection.
/// </summary>
public sealed class SignificantDigitsSettings : SnapshotSerializerSettings
{
    public const int Digits = 8;

    public override int Order => 100;

    public override JsonSerializerSettings Extend(JsonSerializerSettings settings)
    {
        settings.Converters.Add(new RoundingConverter());
        return settings;
    }

    private sealed class RoundingConverter : JsonConverter<double>
    {
        public override void WriteJson(JsonWriter writer, double value, JsonSerializer serializer) =>
            writer.WriteValue(double.Parse(value.ToString("G" + Digits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

        public override double ReadJson(JsonReader reader, Type objectType, double existingValue, bool hasExistingValue, JsonSerializer serializer) =>
            Convert.ToDouble(reader.Value, CultureInfo.InvariantCulture);
    }
}

/// <summary>What a snapshot holds: the configuration that produced it, the loss per epoch, and the parameters.</summary>
public sealed record Trajectory(
    string Data,
    TrainerOptions Configuration,
    IReadOnlyList<EpochRow> Epochs,
    object AfterFirstEpoch,
    object Final,
    int EpochsRun,
    int BestEpoch,
    bool StoppedEarly)
{
    /// <summary>Trains twice (one epoch, then all) from the same start and records both.</summary>
    public static Trajectory Record(string data, Network? initial, DataSet train, TrainerOptions options, DataSet? validation = null)
    {
        TrainerOptions first = options.Clone();
        first.Epochs = 1;
        TrainingResult afterFirst = initial is null ? Trainer.Train(train, first, validation) : Trainer.Train(initial, train, first, validation);
        TrainingResult result = initial is null ? Trainer.Train(train, options, validation) : Trainer.Train(initial, train, options, validation);
        TrainingHistory h = result.History;
        var epochs = Enumerable.Range(0, h.EpochCount)
            .Select(e => new EpochRow(e + 1, h.TrainingLoss[e], h.ValidationLoss?[e]))
            .ToList();
        return new Trajectory(data, options, epochs, Of(afterFirst.Network), Of(result.Network), h.EpochCount, h.BestEpoch, h.StoppedEarly);
    }

    /// <summary>The one-output heads keep their original snapshot shape (b2 a number); the softmax head has W2 as K rows and b2 as K values.</summary>
    private static object Of(Network n) => n.OutputCount == 1 ? Parameters.Of(n) : MulticlassParameters.Of(n);
}

public sealed record MulticlassParameters(double[][] W1, double[] B1, double[][] W2, double[] B2)
{
    public static MulticlassParameters Of(Network n) => new(
        [.. Enumerable.Range(0, n.HiddenCount).Select(h => n.W1.AsSpan(h * n.InputCount, n.InputCount).ToArray())],
        [.. n.B1],
        [.. Enumerable.Range(0, n.OutputCount).Select(k => n.W2.AsSpan(k * n.HiddenCount, n.HiddenCount).ToArray())],
        [.. n.B2]);
}

public sealed record EpochRow(int Epoch, double TrainingLoss, double? ValidationLoss);

public sealed record Parameters(double[][] W1, double[] B1, double[] W2, double B2)
{
    public static Parameters Of(Network n) => new(
        [.. Enumerable.Range(0, n.HiddenCount).Select(h => n.W1.AsSpan(h * n.InputCount, n.InputCount).ToArray())],
        [.. n.B1], [.. n.W2], n.B2[0]);
}

/// <summary>The bundled data subsets (every 4th row of the shared breast_cancer.csv and diabetes.csv, every 2nd of wine.csv, bundled in data/), standardised.</summary>
internal static class RealData
{
    /// <summary>143 rows, 30 features, label 1 = malignant.</summary>
    public static DataSet BreastCancer() => Load("breast_cancer_subset.csv", "diagnosis", v => v == "malignant" ? 1f : 0f, standardiseLabel: false, 0, int.MaxValue);

    /// <summary>89 rows (every 2nd of the shared wine.csv), 13 features, classes class_0, class_1, class_2 → 0, 1, 2.</summary>
    public static DataSet Wine() => Load("wine_subset.csv", "class", v => v[^1] - '0', standardiseLabel: false, 0, int.MaxValue);

    /// <summary>Diabetes rows [from, to), 10 features, progression standardised with the whole subset's mean and deviation.</summary>
    public static DataSet Diabetes(int from = 0, int to = int.MaxValue) =>
        Load("diabetes_subset.csv", "progression", v => float.Parse(v, CultureInfo.InvariantCulture), standardiseLabel: true, from, to);

    private static DataSet Load(string file, string label, Func<string, float> parseLabel, bool standardiseLabel, int from, int to)
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", file));
        string[] header = lines[0].Split(',');
        int labelColumn = Array.IndexOf(header, label);
        int d = header.Length - 1;
        int n = lines.Length - 1;
        var x = new double[n, d];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            string[] cells = lines[i + 1].Split(',');
            for (int c = 0, j = 0; c < cells.Length; c++)
            {
                if (c == labelColumn)
                {
                    y[i] = parseLabel(cells[c]);
                }
                else
                {
                    x[i, j++] = double.Parse(cells[c], CultureInfo.InvariantCulture);
                }
            }
        }

        for (int j = 0; j < d; j++)
        {
            double mean = Enumerable.Range(0, n).Average(i => x[i, j]);
            double std = Math.Sqrt(Enumerable.Range(0, n).Average(i => (x[i, j] - mean) * (x[i, j] - mean)));
            for (int i = 0; i < n; i++)
            {
                x[i, j] = (x[i, j] - mean) / std;
            }
        }

        if (standardiseLabel)
        {
            double mean = y.Average();
            double std = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
            for (int i = 0; i < n; i++)
            {
                y[i] = (y[i] - mean) / std;
            }
        }

        to = Math.Min(to, n);
        var features = new float[(to - from) * d];
        for (int i = from; i < to; i++)
        {
            for (int j = 0; j < d; j++)
            {
                features[(i - from) * d + j] = (float)x[i, j];
            }
        }

        return DataSet.FromRowMajor(features, d, [.. y[from..to].Select(v => (float)v)]);
    }
}

namespace TinyNet.Benchmarks;

/// <summary>
/// Seeded synthetic data: inputs uniform in [−1, 1], labels from a random teacher two-layer network with 16 sigmoid
/// hidden units (weights ×4 so that it is far from linear) plus Gaussian noise; binary labels are the sign of the
/// noisy output against its median. Shared (linked) with the TorchSharp peer, so both train on the same rows; the
/// ML.NET view is in TeacherData.MLNet.cs.
/// </summary>
internal static partial class TeacherData
{
    public const int N = 100_000;

    public static DataSet Create(int n, int d, Head head, int seed)
    {
        (float[] x, float[] y) = Generate(n, d, head, seed);
        return DataSet.FromRowMajor(x, d, y);
    }

    /// <summary>
    /// Multiclass rows: the same inputs and teacher output, cut at its K-quantiles into K classes of (nearly) equal size,
    /// labels 0 … K − 1.
    /// </summary>
    public static (float[] X, float[] Y) GenerateClasses(int n, int d, int classCount, int seed)
    {
        (float[] x, float[] t) = Generate(n, d, Head.Regression, seed);
        float[] sorted = [.. t.Order()];
        float[] cuts = [.. Enumerable.Range(1, classCount - 1).Select(k => sorted[(int)((long)n * k / classCount)])];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            int k = 0;
            while (k < cuts.Length && t[i] >= cuts[k])
            {
                k++;
            }

            y[i] = k;
        }

        return (x, y);
    }

    public static (float[] X, float[] Y) Generate(int n, int d, Head head, int seed)
    {
        var random = new Random(seed);
        Network teacher = Network.CreateRandom(d, 16, Head.Regression, (ulong)seed + 1);
        for (int i = 0; i < teacher.W1.Length; i++)
        {
            teacher.W1[i] *= 4;
        }

        for (int h = 0; h < 16; h++)
        {
            teacher.W2[h] *= 4;
        }

        var x = new float[n * d];
        var t = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i * d + j] = (float)(2 * random.NextDouble() - 1);
            }

            double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            t[i] = teacher.PredictLogit(x.AsSpan(i * d, d)) + 0.3 * noise;
        }

        double median = t.Order().ElementAt(n / 2);
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = head == Head.Regression ? (float)t[i] : (t[i] > median ? 1f : 0f);
        }

        return (x, y);
    }
}

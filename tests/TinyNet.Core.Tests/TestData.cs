namespace TinyNet.Tests;

/// <summary>Seeded synthetic data: a random teacher network plus noise.</summary>
internal static class TestData
{
    public static DataSet Teacher(int n, int d, Head head, int seed, bool weights = false)
    {
        var random = new Random(seed);
        var teacher = Network.CreateRandom(d, 5, Head.Regression, (ulong)seed + 1000);
        for (int i = 0; i < teacher.W2.Length; i++)
        {
            teacher.W2[i] *= 3;
        }

        var x = new float[n * d];
        var y = new float[n];
        var s = weights ? new float[n] : null;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i * d + j] = (float)(random.NextDouble() * 4 - 2);
            }

            double t = teacher.PredictLogit(x.AsSpan(i * d, d)) + 0.1 * (random.NextDouble() - 0.5);
            y[i] = head == Head.Regression ? (float)t : (t > teacher.B2[0] + 0.05 * random.NextDouble() ? 1f : 0f);
            if (s is not null)
            {
                s[i] = (float)(0.25 + random.NextDouble() * 2);
            }
        }

        return DataSet.FromRowMajor(x, d, y, s);
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}

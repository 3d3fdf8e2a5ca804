namespace TinyNet.Benchmarks;

/// <summary>Seeded synthetic data: a random teacher two-layer network (16 hidden units) plus noise.</summary>
internal static class TeacherData
{
    public static DataSet Create(int n, int d, Head head, int seed)
    {
        var random = new Random(seed);
        Network teacher = Network.CreateRandom(d, 16, Head.Regression, (ulong)seed + 1);
        var x = new float[n * d];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[i * d + j] = (float)(2 * random.NextDouble() - 1);
            }

            double t = teacher.PredictLogit(x.AsSpan(i * d, d)) + 0.1 * (random.NextDouble() - 0.5);
            y[i] = head == Head.Regression ? (float)t : (t > teacher.B2 ? 1f : 0f);
        }

        return DataSet.FromRowMajor(x, d, y);
    }
}

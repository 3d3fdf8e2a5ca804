namespace TinyNet.GradientChecks;

/// <summary>
/// The test suite's own oracle, independent of the code under test: the notes' network and losses written out
/// directly, and central finite differences of them, all in double precision.
/// </summary>
internal static class Oracle
{
    /// <summary>Central-difference step: truncation ≈ ε²|f'''|/6 ≈ 1e-12, rounding ≈ 1e-16 |f| / ε ≈ 1e-10 |f|.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>
    /// The notes' summed loss L = Σ sᵢ ℓᵢ: regression ½ (y − a2)², binary −[y log a2 + (1 − y) log(1 − a2)]
    /// (written as softplus(z2) − y z2 so saturated cases stay finite).
    /// </summary>
    public static double Loss(Network n, double[] x, double[] y, double[]? s = null)
    {
        int d = n.InputCount;
        double total = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double z2 = n.B2[0];
            for (int h = 0; h < n.HiddenCount; h++)
            {
                double z1 = n.B1[h];
                for (int j = 0; j < d; j++)
                {
                    z1 += n.W1[h * d + j] * x[i * d + j];
                }

                z2 += n.W2[h] / (1 + Math.Exp(-z1));
            }

            double loss = n.Head == Head.Regression
                ? 0.5 * (y[i] - z2) * (y[i] - z2)
                : Math.Max(z2, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z2))) - y[i] * z2;
            total += (s?[i] ?? 1.0) * loss;
        }

        return total;
    }

    /// <summary>∂f/∂θ for every parameter by central differences.</summary>
    public static Gradients Numeric(Network network, Func<Network, double> f)
    {
        Network n = network.Clone();
        var g = new Gradients(n.InputCount, n.HiddenCount);
        Fill(n.W1, g.W1);
        Fill(n.B1, g.B1);
        Fill(n.W2, g.W2);
        double b2 = n.B2[0];
        n.B2[0] = b2 + Epsilon;
        double plus = f(n);
        n.B2[0] = b2 - Epsilon;
        g.B2[0] = (plus - f(n)) / (2 * Epsilon);
        n.B2[0] = b2;
        return g;

        void Fill(double[] theta, double[] into)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                double t = theta[i];
                theta[i] = t + Epsilon;
                double p = f(n);
                theta[i] = t - Epsilon;
                into[i] = (p - f(n)) / (2 * Epsilon);
                theta[i] = t;
            }
        }
    }

    /// <summary>
    /// Asserts every element agrees: |a − n| ≤ 1e-8 · lossScale or |a − n| / (|a| + |n|) ≤ 1e-6. Pass the size of the
    /// differentiated loss as <paramref name="lossScale"/> when it exceeds 1: central differences cannot resolve
    /// absolute errors below ≈ 1e-10 × |loss|.
    /// </summary>
    public static void AssertAgree(double[] analytic, double[] numeric, string name, double lossScale = 1)
    {
        Assert.Equal(numeric.Length, analytic.Length);
        for (int i = 0; i < analytic.Length; i++)
        {
            double abs = Math.Abs(analytic[i] - numeric[i]);
            double rel = abs / Math.Max(Math.Abs(analytic[i]) + Math.Abs(numeric[i]), 1e-300);
            Assert.True(abs <= 1e-8 * Math.Max(1, lossScale) || rel <= 1e-6,
                $"{name}[{i}]: analytic {analytic[i]:R}, numeric {numeric[i]:R} (abs {abs:E2}, rel {rel:E2})");
        }
    }
}

/// <summary>A network, data and weights to check at.</summary>
public sealed record Case(string Name, Network Network, double[] X, double[] Y, double[]? S)
{
    public override string ToString() => Name;

    /// <summary>The three shapes every boxed formula is checked on.</summary>
    public static IEnumerable<Case> Standard(Head head)
    {
        // The notes' scalar network, one sample: w1 = 0.5, b1 = 0, w2 = 1, b2 = 0, x = 2, y = 1.
        var scalar = new Network(1, 1, head);
        scalar.W1[0] = 0.5;
        scalar.W2[0] = 1.0;
        yield return new Case("scalar D=H=1, one sample", scalar, [2.0], [1.0], null);

        // Scalar network, a batch of five samples.
        var batch = new Network(1, 1, head);
        batch.W1[0] = -0.8;
        batch.B1[0] = 0.3;
        batch.W2[0] = 1.7;
        batch.B2[0] = -0.2;
        yield return new Case("scalar D=H=1, batch of 5", batch, [2.0, -1.0, 0.5, 3.0, -2.5], Labels(head, 5, 1), null);

        // D = 4, H = 3, a batch of 6 with sample weights.
        Network wide = Network.CreateRandom(4, 3, head, seed: 42);
        wide.B1[1] = 0.4;
        wide.B2[0] = 0.1;
        var rng = new Random(7);
        double[] x = Enumerable.Range(0, 24).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        yield return new Case("D=4, H=3, batch of 6, weighted", wide, x, Labels(head, 6, 2), [1, 0.5, 2, 1, 0.25, 3]);
    }

    private static double[] Labels(Head head, int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => head == Head.Regression ? rng.NextDouble() * 2 - 1 : rng.Next(2)).ToArray();
    }
}

using CsCheck;

namespace TinyNet.GradientChecks;

/// <summary>
/// Property-based coverage with CsCheck: random shapes, seeds, parameter scales (saturated sigmoids up to |z1| ≈ 30) and
/// extreme labels. On failure CsCheck shrinks to the smallest failing case and its message shows it, with the seed to
/// replay it.
/// </summary>
public class PropertyTests
{
    /// <summary>A random configuration: shape, data, parameters.</summary>
    public sealed record Config(Head Head, int D, int H, int N, int Seed, double ZMax, bool ConfidentlyWrong, bool Weighted, double L2)
    {
        public override string ToString() =>
            $"{Head} D={D} H={H} N={N} seed={Seed} |z1|≲{ZMax:F1} confidentlyWrong={ConfidentlyWrong} weighted={Weighted} λ={L2}";

        public Case Build()
        {
            var rng = new Random(Seed);
            var network = new Network(D, H, Head);
            double w1Scale = ZMax / (3.0 * D);                  // |x| ≤ 3, so |z1| ≤ ZMax
            for (int i = 0; i < network.W1.Length; i++)
            {
                network.W1[i] = (rng.NextDouble() * 2 - 1) * w1Scale;
            }

            for (int h = 0; h < H; h++)
            {
                network.B1[h] = rng.NextDouble() * 2 - 1;
                network.W2[h] = (rng.NextDouble() * 2 - 1) * 3;
            }

            network.B2[0] = rng.NextDouble() * 2 - 1;
            double[] x = Enumerable.Range(0, N * D).Select(_ => rng.NextDouble() * 6 - 3).ToArray();
            double[] y = new double[N];
            for (int i = 0; i < N; i++)
            {
                double z2 = network.PredictLogit(x.AsSpan(i * D, D));
                y[i] = Head == Head.Regression
                    ? (ConfidentlyWrong ? -10 * Math.Sign(z2) : rng.NextDouble() * 4 - 2)   // labels at ±10
                    : (ConfidentlyWrong ? (z2 > 0 ? 0 : 1) : rng.Next(2));                   // the opposite of the prediction
            }

            double[]? s = Weighted ? Enumerable.Range(0, N).Select(_ => rng.NextDouble() * 3).ToArray() : null;
            return new Case(ToString(), network, x, y, s);
        }
    }

    private static readonly Gen<Config> Configs =
        Gen.Select(Gen.Int[0, 1], Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 40], Gen.Int[0, 1_000_000], Gen.Double[0.5, 30], Gen.Bool, Gen.Bool,
            (head, d, h, n, seed, zMax, wrong, weighted) => new Config((Head)head, d, h, n, seed, zMax, wrong, weighted, 0))
        .SelectMany(c => Gen.OneOf(0.0, 0.01, 1.0).Select(l2 => c with { L2 = l2 }));

    [Fact]
    public void Boxed_formulas_pass_the_gradient_checker_for_random_configurations() =>
        Configs.Sample(config =>
        {
            Case c = config.Build();
            GradientCheckReport report = GradientChecker.Check(c.Network, c.X, c.Y, c.S, config.L2);
            Assert.True(report.Passed, $"{config}\n{report}");
        }, iter: 300);

    [Fact]
    public void Boxed_formulas_agree_with_the_independent_oracle_for_random_configurations() =>
        Configs.Sample(config =>
        {
            Case c = config.Build();
            var analytic = new Gradients(config.D, config.H);
            Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], analytic);
            // The oracle differentiates the mean loss (labels at ±10 make it up to ~100); compare sums divided by N.
            double mean = Oracle.Loss(c.Network, c.X, c.Y, c.S) / c.Y.Length;
            Gradients numeric = Oracle.Numeric(c.Network, n => Oracle.Loss(n, c.X, c.Y, c.S) / c.Y.Length);
            Oracle.AssertAgree([.. analytic.W1.Select(g => g / c.Y.Length)], numeric.W1, $"{config}: w1", mean);
            Oracle.AssertAgree([.. analytic.B1.Select(g => g / c.Y.Length)], numeric.B1, $"{config}: b1", mean);
            Oracle.AssertAgree([.. analytic.W2.Select(g => g / c.Y.Length)], numeric.W2, $"{config}: w2", mean);
            Oracle.AssertAgree([analytic.B2[0] / c.Y.Length], [numeric.B2[0]], $"{config}: b2", mean);
        }, iter: 200);

    [Fact]
    public void Wrong_gradients_fail_for_random_configurations() =>
        // Every mistake is caught whenever it changes the gradient by more than the tolerance (the checker's own
        // ground truth says so); shapes where a mistake happens to be harmless (x = 1, D = H = 1 transposes) are skipped.
        Configs.Where(c => c.ZMax < 10).Sample(config =>
        {
            Case c = config.Build();
            var right = new Gradients(config.D, config.H);
            Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], right);
            foreach (WrongGradients.Mistake mistake in Enum.GetValues<WrongGradients.Mistake>().Skip(1))
            {
                Gradients wrong = WrongGradients.Compute(c, mistake);
                double change = MaxRelativeChange(right, wrong, 1e-6 * Math.Max(1, Oracle.Loss(c.Network, c.X, c.Y, c.S)));
                if (change < 1e-3)
                {
                    continue;
                }

                GradientCheckReport report = WrongGradients.Check(c, mistake);
                Assert.False(report.Passed, $"{config}: {mistake} (changes the gradient by {change:E2}) was not caught\n{report}");
            }
        }, iter: 150);

    /// <summary>The largest relative change among elements that moved by more than <paramref name="floor"/> (far above the checker's noise floor).</summary>
    private static double MaxRelativeChange(Gradients a, Gradients b, double floor)
    {
        double max = 0;
        foreach ((double[] x, double[] y) in new[] { (a.W1, b.W1), (a.B1, b.B1), (a.W2, b.W2), (new[] { a.B2[0] }, new[] { b.B2[0] }) })
        {
            for (int i = 0; i < x.Length; i++)
            {
                double abs = Math.Abs(x[i] - y[i]);
                if (abs > floor)
                {
                    max = Math.Max(max, abs / (Math.Abs(x[i]) + Math.Abs(y[i])));
                }
            }
        }

        return max;
    }
}

using CsCheck;

namespace TinyNet.GradientChecks;

/// <summary>
/// The softmax head's boxed formulas (docs/notes-multiclass.md M3–M4) against central finite differences of an
/// independent oracle, in double precision, for K = 2, 3 and 10, saturated logits, sample weights and L2; the
/// user-callable checker on the new head; deliberately wrong multiclass gradients it must catch; K = 2 against the binary
/// head (M5); the fast float32 engine against the reference at every SIMD width.
/// </summary>
public class MulticlassFormulaTests
{
    public static TheoryData<MulticlassCase> Cases => [.. MulticlassCase.Standard()];

    /// <summary>M3: δ2 = ∂ℓ/∂z2 = a2 − y, against central differences of ℓ as a function of the K logits.</summary>
    [Theory]
    [InlineData(new[] { 0.3, -1.2, 2.0 }, 0)]
    [InlineData(new[] { 0.3, -1.2, 2.0 }, 2)]
    [InlineData(new[] { 40.0, -35.0, 0.0, 5.0 }, 1)]      // saturated: a2 ≈ one-hot on the wrong class
    [InlineData(new[] { 0.5, -0.5 }, 1)]
    public void M3_delta2_is_a2_minus_y(double[] z2, int y)
    {
        var a2 = new double[z2.Length];
        var delta2 = new double[z2.Length];
        Activations.Softmax(z2, a2);
        Backprop.Delta2(a2, y, delta2);
        var numeric = new double[z2.Length];
        for (int k = 0; k < z2.Length; k++)
        {
            double[] plus = (double[])z2.Clone(), minus = (double[])z2.Clone();
            plus[k] += Oracle.Epsilon;
            minus[k] -= Oracle.Epsilon;
            numeric[k] = (MulticlassOracle.SampleLoss(plus, y) - MulticlassOracle.SampleLoss(minus, y)) / (2 * Oracle.Epsilon);
        }

        Oracle.AssertAgree(delta2, numeric, "δ2", MulticlassOracle.SampleLoss(z2, y));
    }

    /// <summary>M4, first box: ∂L/∂W2 = Σ δ2 a1ᵀ (K × H).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void M4_dL_dW2(MulticlassCase c) => Check(c, (a, n, scale) => Oracle.AssertAgree(a.W2, n.W2, "∂L/∂W2", scale));

    /// <summary>M4, second box: ∂L/∂b2 = Σ δ2 (K values).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void M4_dL_db2(MulticlassCase c) => Check(c, (a, n, scale) => Oracle.AssertAgree(a.B2, n.B2, "∂L/∂b2", scale));

    /// <summary>M4, fourth box: ∂L/∂w1 = Σ δ1 xᵀ with δ1 = (W2ᵀ δ2) ⊙ a1 ⊙ (1 − a1) (third box).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void M4_dL_dw1(MulticlassCase c) => Check(c, (a, n, scale) => Oracle.AssertAgree(a.W1, n.W1, "∂L/∂w1", scale));

    /// <summary>M4, fifth box: ∂L/∂b1 = Σ δ1, which is the third box (δ1) summed.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void M4_dL_db1_and_delta1(MulticlassCase c) => Check(c, (a, n, scale) => Oracle.AssertAgree(a.B1, n.B1, "∂L/∂b1", scale));

    /// <summary>The training objective with L2 and weights: (Σ sᵢ ℓᵢ)/(Σ sᵢ) + (λ/2)(‖w1‖² + ‖W2‖²), biases not penalised.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Objective_with_L2_matches_central_differences(MulticlassCase c)
    {
        const double l2 = 0.03;
        var analytic = Gradients.For(c.Network);
        double j = Backprop.Objective(c.Network, c.X, c.Y, c.S ?? [], l2, analytic);
        Assert.Equal(MulticlassOracle.Objective(c.Network, c.X, c.Y, c.S, l2), j, 1e-12);
        Gradients numeric = MulticlassOracle.Numeric(c.Network, n => MulticlassOracle.Objective(n, c.X, c.Y, c.S, l2));
        Oracle.AssertAgree(analytic.W1, numeric.W1, "∂J/∂w1", j);
        Oracle.AssertAgree(analytic.B1, numeric.B1, "∂J/∂b1", j);
        Oracle.AssertAgree(analytic.W2, numeric.W2, "∂J/∂W2", j);
        Oracle.AssertAgree(analytic.B2, numeric.B2, "∂J/∂b2", j);
    }

    /// <summary>The user-callable checker handles the new head: every tensor passes and positions read as the notes write them.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void The_user_gradient_checker_passes_the_multiclass_head(MulticlassCase c)
    {
        GradientCheckReport report = GradientChecker.Check(c.Network, c.X, c.Y, c.S, l2: 0.01);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(["w1", "b1", "w2", "b2"], report.Tensors.Select(t => t.Name));
        Assert.Equal(c.Network.OutputCount * c.Network.HiddenCount, report["w2"].Checked);
        Assert.Equal(c.Network.OutputCount, report["b2"].Checked);
        Assert.Matches(@"^w2\[\d+, \d+\]$", report["w2"].WorstPosition);
    }

    /// <summary>
    /// The checker catches each plausible mistake of the softmax head (docs/notes-multiclass.md M3): a2 − y with a sigmoid
    /// per output instead of the softmax; only the diagonal of the softmax Jacobian kept; W2 read transposed in δ1; the
    /// hidden error from the true class's row of W2 only.
    /// </summary>
    [Theory]
    [InlineData(MulticlassMistake.SigmoidInsteadOfSoftmax)]
    [InlineData(MulticlassMistake.DiagonalJacobianOnly)]
    [InlineData(MulticlassMistake.TransposedW2)]
    [InlineData(MulticlassMistake.TrueClassRowOnly)]
    public void Wrong_multiclass_gradients_fail_the_checker(MulticlassMistake mistake)
    {
        foreach (MulticlassCase c in MulticlassCase.Standard().Where(c => c.Network.OutputCount >= 3))
        {
            Gradients wrong = MulticlassOracle.Wrong(c, mistake);
            GradientCheckReport report = GradientChecker.Check(c.Network, n => MulticlassOracle.Loss(n, c.X, c.Y, c.S), wrong);
            Assert.False(report.Passed, $"{c}: {mistake} was not caught\n{report}");
        }
    }

    /// <summary>
    /// A softmax without the max subtracted overflows: e^800 is ∞ and the loss and gradient become NaN. TinyNet's stays
    /// finite and correct at the same logits, and the checker flags the naive one's NaN as a failure.
    /// </summary>
    [Fact]
    public void A_softmax_without_the_max_subtracted_overflows_and_the_checker_catches_it()
    {
        var network = new Network(1, 1, Head.MulticlassClassification, classCount: 3);
        network.W2[0] = 400;           // a1 ≈ 1 at x = 40 → z2₀ ≈ 400 + 400 = 800
        network.B2[0] = 400;
        network.W1[0] = 1;
        double[] x = [40.0], y = [1.0];
        var right = Gradients.For(network);
        double loss = Backprop.Compute(network, x, y, [], right);
        Assert.True(double.IsFinite(loss) && loss > 790, $"loss {loss}");
        Assert.True(right.B2.All(double.IsFinite));
        Assert.Equal(1.0, right.B2[0], 1e-12);            // a2 ≈ [1, 0, 0], y = class 1 → δ2 ≈ [1, −1, 0]
        Assert.Equal(-1.0, right.B2[1], 1e-12);

        Gradients naive = MulticlassOracle.Wrong(new MulticlassCase("saturated", network, x, y, null), MulticlassMistake.NoMaxSubtraction);
        Assert.Contains(naive.B2, double.IsNaN);
        GradientCheckReport report = GradientChecker.Check(network, n => MulticlassOracle.Loss(n, x, y, null), naive);
        Assert.False(report.Passed, report.ToString());
        Assert.True(GradientChecker.Check(network, x, y).Passed);
    }

    /// <summary>
    /// M5: a K = 2 softmax network is the binary network with w2 = W2[1, ·] − W2[0, ·], b2 = b2₁ − b2₀: the same loss, the
    /// same probability of class 1, and the binary gradient is the K = 2 gradient mapped through z = z2₁ − z2₀.
    /// </summary>
    [Fact]
    public void K2_softmax_is_the_binary_head_on_the_logit_difference()
    {
        Network softmax = Network.CreateRandom(4, 3, Head.MulticlassClassification, classCount: 2, seed: 5);
        softmax.B2[0] = 0.2;
        softmax.B2[1] = -0.4;
        var binary = new Network(4, 3, Head.BinaryClassification);
        softmax.W1.CopyTo(binary.W1, 0);
        softmax.B1.CopyTo(binary.B1, 0);
        for (int h = 0; h < 3; h++)
        {
            binary.W2[h] = softmax.W2[3 + h] - softmax.W2[h];
        }

        binary.B2[0] = softmax.B2[1] - softmax.B2[0];
        var rng = new Random(3);
        double[] x = [.. Enumerable.Range(0, 20).Select(_ => rng.NextDouble() * 4 - 2)];
        double[] y = [1, 0, 0, 1, 1];
        var gSoftmax = Gradients.For(softmax);
        var gBinary = Gradients.For(binary);
        Assert.Equal(Backprop.Compute(binary, x, y, [], gBinary), Backprop.Compute(softmax, x, y, [], gSoftmax), 1e-12);
        for (int i = 0; i < 5; i++)
        {
            var p = new double[2];
            softmax.PredictProbabilities([.. x.AsSpan(i * 4, 4).ToArray().Select(v => (float)v)], p);
            Assert.Equal(binary.Predict([.. x.AsSpan(i * 4, 4).ToArray().Select(v => (float)v)]), p[1], 1e-12);
        }

        // ∂L/∂z2₁ = δ and ∂L/∂z2₀ = −δ for the binary δ: the rows of ∂L/∂W2 are −g and +g of the binary ∂L/∂w2.
        for (int h = 0; h < 3; h++)
        {
            Assert.Equal(gBinary.W2[h], gSoftmax.W2[3 + h], 1e-12);
            Assert.Equal(-gBinary.W2[h], gSoftmax.W2[h], 1e-12);
        }

        Assert.Equal(gBinary.B2[0], gSoftmax.B2[1], 1e-12);
        Oracle.AssertAgree(gBinary.W1, gSoftmax.W1, "∂L/∂w1 (the same first layer)");
    }

    /// <summary>Random D, H, K, N, weights, saturation: the boxed formulas pass the checker and match the oracle's loss.</summary>
    [Fact]
    public void Boxed_formulas_pass_the_checker_for_random_multiclass_configurations() =>
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[2, 10], Gen.Int[1, 8], Gen.Int[0, 100_000], Gen.Double[0.5, 30], Gen.Bool)
            .Sample((d, h, k, n, seed, zMax, weighted) =>
            {
                MulticlassCase c = MulticlassCase.Random(d, h, k, n, seed, zMax, weighted);
                Assert.Equal(MulticlassOracle.Loss(c.Network, c.X, c.Y, c.S), Backprop.Loss(c.Network, c.X, c.Y, c.S ?? []), 1e-9);
                GradientCheckReport report = GradientChecker.Check(c.Network, c.X, c.Y, c.S);
                Assert.True(report.Passed, $"{c}\n{report}");
            }, iter: 60);

    /// <summary>The fast float32 engine's multiclass gradient against the double reference, on random shapes, at every SIMD width.</summary>
    [Fact]
    public void Fast_engine_multiclass_gradients_match_the_reference_at_every_width() =>
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 70], Gen.Int[2, 26], Gen.Int[1, 80], Gen.Int[0, 100_000], Gen.Int[0, 3], Gen.Bool, Gen.Bool)
            .Sample((d, h, k, n, seed, width, weighted, l2) =>
            {
                var rng = new Random(seed);
                float[] x = [.. Enumerable.Range(0, n * d).Select(_ => (float)(rng.NextDouble() * 4 - 2))];
                float[] y = [.. Enumerable.Range(0, n).Select(_ => (float)rng.Next(k))];
                float[]? s = weighted ? [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2))] : null;
                if (s is not null && s.Sum() == 0)
                {
                    return;
                }

                DataSet data = DataSet.FromRowMajor(x, d, y, s);
                Network network = Network.CreateRandom(d, h, Head.MulticlassClassification, k, (ulong)seed);
                network.B2[k - 1] = 0.5;
                var options = new TrainerOptions { Head = Head.MulticlassClassification, BatchSize = n, Threads = 1 + seed % 2, L2Regularization = l2 ? 0.05 : 0 };
                using var engine = new FastEngine(network, data, options, Kernels.All[width]);
                engine.CopyTo(network);
                engine.ComputeGradient([.. Enumerable.Range(0, n)]);
                Gradients fast = engine.ExportGradient();
                var reference = Gradients.For(network);
                Backprop.Objective(network, [.. x.Select(v => (double)v)], [.. y.Select(v => (double)v)],
                    s?.Select(v => (double)v).ToArray() ?? [], options.L2Regularization, reference);
                string what = $"D={d} H={h} K={k} N={n} seed={seed} width={Kernels.All[width].Width} weighted={weighted} l2={l2} threads={options.Threads}";
                AssertClose(reference.W1, fast.W1, $"{what}: w1");
                AssertClose(reference.B1, fast.B1, $"{what}: b1");
                AssertClose(reference.W2, fast.W2, $"{what}: W2");
                AssertClose(reference.B2, fast.B2, $"{what}: b2");
            }, iter: 120);

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale + 1e-7, $"{what}[{i}]: reference {expected[i]:R}, fast {actual[i]:R}");
        }
    }

    private static void Check(MulticlassCase c, Action<Gradients, Gradients, double> compare)
    {
        var analytic = Gradients.For(c.Network);
        double loss = Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], analytic);
        Assert.Equal(MulticlassOracle.Loss(c.Network, c.X, c.Y, c.S), loss, 1e-10);
        Gradients numeric = MulticlassOracle.Numeric(c.Network, n => MulticlassOracle.Loss(n, c.X, c.Y, c.S));
        compare(analytic, numeric, loss);
    }
}

/// <summary>Mistakes a hand derivation of the softmax head could make (docs/notes-multiclass.md M3).</summary>
public enum MulticlassMistake
{
    SigmoidInsteadOfSoftmax,   // δ2ₖ = σ(z2ₖ) − yₖ
    DiagonalJacobianOnly,      // δ2ₖ = −yₖ (1 − a2ₖ): the off-diagonal −a2ₖ a2ⱼ terms dropped
    TransposedW2,              // δ1 from W2 (K × H) read as H × K
    TrueClassRowOnly,          // δ1 = δ2_y w2[y, ·] ⊙ σ': the other outputs' errors not sent back
    NoMaxSubtraction,          // softmax as e^z / Σ e^z: overflows for z > 709
}

/// <summary>A multiclass network, data (labels are classes) and weights to check at.</summary>
public sealed record MulticlassCase(string Name, Network Network, double[] X, double[] Y, double[]? S)
{
    public override string ToString() => Name;

    /// <summary>K = 2, 3 and 10; a saturated case; weights.</summary>
    public static IEnumerable<MulticlassCase> Standard()
    {
        yield return Random(1, 1, 2, 1, 11, 2, false) with { Name = "D=H=1, K=2, one sample" };
        yield return Random(4, 3, 3, 6, 12, 3, true) with { Name = "D=4, H=3, K=3, batch of 6, weighted" };
        yield return Random(5, 4, 10, 12, 13, 4, false) with { Name = "D=5, H=4, K=10, batch of 12" };
        MulticlassCase saturated = Random(3, 3, 4, 5, 14, 25, true);
        for (int i = 0; i < saturated.Network.W2.Length; i++)
        {
            saturated.Network.W2[i] *= 8;            // logits tens apart: a2 near one-hot
        }

        yield return saturated with { Name = "D=3, H=3, K=4, saturated logits, weighted" };
    }

    public static MulticlassCase Random(int d, int h, int k, int n, int seed, double zMax, bool weighted)
    {
        var rng = new Random(seed);
        var network = new Network(d, h, Head.MulticlassClassification, k);
        for (int i = 0; i < network.W1.Length; i++)
        {
            network.W1[i] = (rng.NextDouble() * 2 - 1) * zMax / (3.0 * d);
        }

        for (int i = 0; i < h; i++)
        {
            network.B1[i] = rng.NextDouble() * 2 - 1;
        }

        for (int i = 0; i < network.W2.Length; i++)
        {
            network.W2[i] = (rng.NextDouble() * 2 - 1) * 3;
        }

        for (int i = 0; i < k; i++)
        {
            network.B2[i] = rng.NextDouble() * 2 - 1;
        }

        double[] x = [.. Enumerable.Range(0, n * d).Select(_ => rng.NextDouble() * 6 - 3)];
        double[] y = [.. Enumerable.Range(0, n).Select(_ => (double)rng.Next(k))];
        double[]? s = weighted ? [.. Enumerable.Range(0, n).Select(_ => 0.1 + rng.NextDouble() * 3)] : null;
        return new MulticlassCase($"D={d} H={h} K={k} N={n} seed={seed} |z1|≲{zMax:F1} weighted={weighted}", network, x, y, s);
    }
}

/// <summary>The test suite's own multiclass oracle: the network and loss written out directly, independent of the code under test.</summary>
internal static class MulticlassOracle
{
    /// <summary>−log softmax(z)_y, written out (max subtracted, no library call).</summary>
    public static double SampleLoss(double[] z, int y)
    {
        double m = z.Max();
        return Math.Log(z.Sum(v => Math.Exp(v - m))) - (z[y] - m);
    }

    public static double[] Logits(Network n, double[] x, int i)
    {
        int d = n.InputCount, hCount = n.HiddenCount;
        var a1 = new double[hCount];
        for (int h = 0; h < hCount; h++)
        {
            double z1 = n.B1[h];
            for (int j = 0; j < d; j++)
            {
                z1 += n.W1[h * d + j] * x[i * d + j];
            }

            a1[h] = 1 / (1 + Math.Exp(-z1));
        }

        return [.. Enumerable.Range(0, n.OutputCount).Select(k => n.B2[k] + Enumerable.Range(0, hCount).Sum(h => n.W2[k * hCount + h] * a1[h]))];
    }

    public static double Loss(Network n, double[] x, double[] y, double[]? s) =>
        Enumerable.Range(0, y.Length).Sum(i => (s?[i] ?? 1.0) * SampleLoss(Logits(n, x, i), (int)y[i]));

    public static double Objective(Network n, double[] x, double[] y, double[]? s, double l2) =>
        Loss(n, x, y, s) / (s?.Sum() ?? y.Length) + 0.5 * l2 * (n.W1.Sum(w => w * w) + n.W2.Sum(w => w * w));

    public static Gradients Numeric(Network network, Func<Network, double> f)
    {
        Network n = network.Clone();
        var g = Gradients.For(n);
        Fill(n.W1, g.W1);
        Fill(n.B1, g.B1);
        Fill(n.W2, g.W2);
        Fill(n.B2, g.B2);
        return g;

        void Fill(double[] theta, double[] into)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                double t = theta[i];
                theta[i] = t + Oracle.Epsilon;
                double p = f(n);
                theta[i] = t - Oracle.Epsilon;
                into[i] = (p - f(n)) / (2 * Oracle.Epsilon);
                theta[i] = t;
            }
        }
    }

    /// <summary>The summed gradient with <paramref name="mistake"/>.</summary>
    public static Gradients Wrong(MulticlassCase c, MulticlassMistake mistake)
    {
        Network net = c.Network;
        int d = net.InputCount, hCount = net.HiddenCount, kCount = net.OutputCount;
        var g = Gradients.For(net);
        for (int i = 0; i < c.Y.Length; i++)
        {
            double[] x = c.X[(i * d)..((i + 1) * d)];
            int y = (int)c.Y[i];
            double s = c.S?[i] ?? 1;
            var a1 = new double[hCount];
            for (int h = 0; h < hCount; h++)
            {
                double z1 = net.B1[h] + Enumerable.Range(0, d).Sum(j => net.W1[h * d + j] * x[j]);
                a1[h] = 1 / (1 + Math.Exp(-z1));
            }

            double[] z2 = Logits(net, c.X, i);
            double[] a2 = mistake switch
            {
                MulticlassMistake.SigmoidInsteadOfSoftmax => [.. z2.Select(z => 1 / (1 + Math.Exp(-z)))],
                MulticlassMistake.NoMaxSubtraction => [.. z2.Select(z => Math.Exp(z) / z2.Sum(Math.Exp))],
                _ => [.. z2.Select(z => Math.Exp(z - z2.Max()) / z2.Sum(v => Math.Exp(v - z2.Max())))],
            };
            double[] delta2 = [.. Enumerable.Range(0, kCount).Select(k => s * (mistake == MulticlassMistake.DiagonalJacobianOnly
                ? (k == y ? a2[k] - 1 : 0)
                : a2[k] - (k == y ? 1 : 0)))];
            for (int k = 0; k < kCount; k++)
            {
                g.B2[k] += delta2[k];
                for (int h = 0; h < hCount; h++)
                {
                    g.W2[k * hCount + h] += delta2[k] * a1[h];
                }
            }

            for (int h = 0; h < hCount; h++)
            {
                double back = mistake switch
                {
                    MulticlassMistake.TransposedW2 => Enumerable.Range(0, kCount).Sum(k => net.W2[(h * kCount + k) % net.W2.Length] * delta2[k]),
                    MulticlassMistake.TrueClassRowOnly => net.W2[y * hCount + h] * delta2[y],
                    _ => Enumerable.Range(0, kCount).Sum(k => net.W2[k * hCount + h] * delta2[k]),
                };
                double delta1 = back * a1[h] * (1 - a1[h]);
                g.B1[h] += delta1;
                for (int j = 0; j < d; j++)
                {
                    g.W1[h * d + j] += delta1 * x[j];
                }
            }
        }

        return g;
    }
}

using CsCheck;

namespace TinyNet.GradientChecks;

/// <summary>
/// The float32 engine's gradient of J = (1/B) Σ sᵢ ℓᵢ + (λ/2)‖w‖² against the double reference, on random shapes.
/// <para>
/// Tolerance: |fast − reference| ≤ 1e-4 · max|reference| of the tensor, + 1e-7. Each element is a sum of at most
/// 80 products, each rounded in float (unit roundoff u = 6e-8), after a forward pass whose sigmoid is within
/// a few ulps: the expected error is ≈ √80 · u ≈ 5e-7 relative to the largest term, so 1e-4 is ~200 times the expected error,
/// while any formula mistake (a wrong factor, sign, index or missing term) moves elements by a sizeable fraction of
/// the largest one.
/// </para>
/// </summary>
public class FastEngineGradientTests
{
    private static readonly Gen<(int D, int H, int N, int Threads, int Seed, bool Binary, bool Weighted, bool L2)> Shapes =
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 70], Gen.Int[1, 80], Gen.Int[1, 2], Gen.Int[0, 100_000], Gen.Bool, Gen.Bool, Gen.Bool);

    [Fact]
    public void Fast_engine_gradients_match_the_double_reference() =>
        Shapes.Sample(shape =>
        {
            (int d, int h, int n, int threads, int seed, bool binary, bool weighted, bool l2) = shape;
            Head head = binary ? Head.BinaryClassification : Head.Regression;
            var rng = new Random(seed);
            float[] x = Enumerable.Range(0, n * d).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
            float[] y = Enumerable.Range(0, n).Select(_ => binary ? rng.Next(2) : (float)(rng.NextDouble() * 4 - 2)).ToArray();
            float[]? s = weighted ? Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2)).ToArray() : null;
            DataSet data = DataSet.FromRowMajor(x, d, y, s);
            Network network = Network.CreateRandom(d, h, head, (ulong)seed);
            network.B1[0] = 0.3;
            network.B2[0] = -0.2;
            var options = new TrainerOptions { Head = head, BatchSize = n, Threads = threads, L2Regularization = l2 ? 0.05 : 0 };

            using var engine = new FastEngine(network, data, options);
            engine.CopyTo(network);                           // compare at the float-rounded parameters
            int[] rows = Enumerable.Range(0, n).Select(i => (i + seed) % n).ToArray();   // a rotation: every row once
            engine.ComputeGradient(rows);
            Gradients fast = engine.ExportGradient();

            var reference = new Gradients(d, h);
            double[] xd = x.Select(v => (double)v).ToArray();
            double[] yd = y.Select(v => (double)v).ToArray();
            Backprop.Objective(network, xd, yd, s?.Select(v => (double)v).ToArray() ?? [], options.L2Regularization, reference);

            AssertClose(reference.W1, fast.W1, $"{shape}: w1");
            AssertClose(reference.B1, fast.B1, $"{shape}: b1");
            AssertClose(reference.W2, fast.W2, $"{shape}: w2");
            AssertClose([reference.B2[0]], [fast.B2[0]], $"{shape}: b2");
        }, iter: 150);

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale + 1e-7,
                $"{what}[{i}]: reference {expected[i]:R}, fast {actual[i]:R}");
        }
    }
}

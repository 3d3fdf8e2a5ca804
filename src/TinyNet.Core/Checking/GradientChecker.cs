using System.Globalization;
using System.Text;

namespace TinyNet;

/// <summary>
/// Settings of <see cref="GradientChecker"/>. The defaults are chosen for double precision:
/// <list type="bullet">
/// <item>Central differences (f(θ + ε) − f(θ − ε)) / 2ε have truncation error ≈ ε² |f'''| / 6 and rounding error
/// ≈ u |f| / ε (u = 1.1e-16). With ε = 1e-6 both are below about 1e-10 · max(1, |f|): far under the tolerances.</item>
/// <item>An element passes when |a − n| ≤ atol · max(1, |f(θ)|) or rel = |a − n| / max(|a| + |n|, tiny) ≤ rtol.
/// rtol = 1e-6 is 10⁴ times the expected error yet catches any real mistake in a formula (a wrong factor, sign, term or
/// index changes an element by far more than a millionth). atol = 1e-8 only spares elements whose gradient is itself at
/// the noise floor (saturated sigmoids), where a relative error means nothing; it is scaled by the size of the loss
/// because central differences cannot resolve an absolute error below ≈ u |f| / ε, whatever the formula.</item>
/// </list>
/// </summary>
public sealed class GradientCheckOptions
{
    /// <summary>ε, the step of the central differences. Default 1e-6.</summary>
    public double Epsilon { get; set; } = 1e-6;

    /// <summary>atol, the absolute error always accepted, per unit of loss: the bound is atol · max(1, |f(θ)|). Default 1e-8.</summary>
    public double AbsoluteTolerance { get; set; } = 1e-8;

    /// <summary>rtol, the symmetric relative error accepted. Default 1e-6.</summary>
    public double RelativeTolerance { get; set; } = 1e-6;

    /// <summary>Throw a <see cref="GradientCheckException"/> holding the report's table when a tensor fails. Default false.</summary>
    public bool ThrowOnFailure { get; set; }

    /// <summary>
    /// Fast mode for large nets: instead of one pair of evaluations per parameter, compare the directional derivative
    /// g · u with (f(θ + εu) − f(θ − εu)) / 2ε along this many random unit directions u per tensor. 0 (default) checks
    /// every element; so does any tensor with no more elements than directions (the one-output b2).
    /// </summary>
    public int RandomDirections { get; set; }

    /// <summary>Seed of the random directions. Default 0.</summary>
    public int Seed { get; set; }

    internal void Validate()
    {
        if (!(Epsilon > 0) || !double.IsFinite(Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, $"Epsilon is {Epsilon}; it must be a finite number > 0, for example 1e-6.");
        }

        if (!(AbsoluteTolerance >= 0) || !double.IsFinite(AbsoluteTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), AbsoluteTolerance, $"AbsoluteTolerance is {AbsoluteTolerance}; it must be a finite number ≥ 0.");
        }

        if (!(RelativeTolerance >= 0) || !double.IsFinite(RelativeTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, $"RelativeTolerance is {RelativeTolerance}; it must be a finite number ≥ 0.");
        }

        if (RandomDirections < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RandomDirections), RandomDirections, $"RandomDirections is {RandomDirections}; it must be ≥ 0 (0 checks every element).");
        }
    }
}

/// <summary>The outcome for one parameter tensor (w1, b1, w2 or b2).</summary>
/// <param name="Name">"w1", "b1", "w2" or "b2".</param>
/// <param name="Checked">Elements (or random directions, in fast mode) compared.</param>
/// <param name="MaxAbsoluteError">Largest |analytic − numeric|.</param>
/// <param name="MaxRelativeError">Largest |a − n| / max(|a| + |n|, tiny).</param>
/// <param name="WorstIndex">The element (or direction) furthest outside the tolerance, or nearest to it; for w1 the flat index h·D + d.</param>
/// <param name="WorstPosition">The worst element written as the notes would, e.g. "w1[2, 0]", or "direction 3".</param>
/// <param name="Analytic">The analytic value at <paramref name="WorstIndex"/>.</param>
/// <param name="Numeric">The central-difference value at <paramref name="WorstIndex"/>.</param>
/// <param name="Passed">True if every element is within tolerance.</param>
public sealed record TensorCheck(
    string Name, int Checked, double MaxAbsoluteError, double MaxRelativeError, int WorstIndex, string WorstPosition,
    double Analytic, double Numeric, bool Passed);

/// <summary>The outcome of a gradient check: one <see cref="TensorCheck"/> per parameter tensor.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<TensorCheck> tensors, GradientCheckOptions options)
    {
        Tensors = tensors;
        Options = options;
    }

    /// <summary>w1, b1, w2, b2 in that order.</summary>
    public IReadOnlyList<TensorCheck> Tensors { get; }

    /// <summary>The settings used.</summary>
    public GradientCheckOptions Options { get; }

    /// <summary>True if every tensor passed.</summary>
    public bool Passed => Tensors.All(t => t.Passed);

    /// <summary>The tensor named "w1", "b1", "w2" or "b2".</summary>
    public TensorCheck this[string name] => Tensors.Single(t => t.Name == name);

    /// <summary>A table: one row per tensor with its errors, worst element and verdict.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        string mode = Options.RandomDirections > 0 ? $"{Options.RandomDirections} random directions per tensor" : "every element";
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Gradient check ({mode}; eps = {Options.Epsilon:G3}, atol = {Options.AbsoluteTolerance:G3}, rtol = {Options.RelativeTolerance:G3}): {(Passed ? "PASSED" : "FAILED")}");
        sb.AppendLine("tensor  checked  max abs error  max rel error  worst        analytic                 numeric                  verdict");
        foreach (TensorCheck t in Tensors)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{t.Name,-6}  {t.Checked,7}  {t.MaxAbsoluteError,12:E2}  {t.MaxRelativeError,13:E2}  {t.WorstPosition,-11}  {t.Analytic,23:R}  {t.Numeric,23:R}  {(t.Passed ? "ok" : "FAIL")}");
        }

        return sb.ToString();
    }
}

/// <summary>Thrown by <see cref="GradientChecker"/> with <see cref="GradientCheckOptions.ThrowOnFailure"/>; the message is the report's table.</summary>
public sealed class GradientCheckException(GradientCheckReport report) : Exception(report.ToString())
{
    /// <summary>The failing report.</summary>
    public GradientCheckReport Report { get; } = report;
}

/// <summary>
/// Compares analytic gradients with central finite differences, in double precision, like
/// <c>torch.autograd.gradcheck</c>: per parameter tensor it reports the largest absolute and relative
/// (|a − n| / max(|a| + |n|, tiny), as in CS231n) errors, the worst element and a verdict.
/// </summary>
public static class GradientChecker
{
    private const double Tiny = 1e-300;

    /// <summary>
    /// Checks TinyNet's own gradient (<see cref="Backprop"/>) of the training objective
    /// J = (Σ sᵢ ℓᵢ) / (Σ sᵢ) + (λ/2)(‖w1‖² + ‖w2‖²) (Σ sᵢ = N without weights) on your network and data.
    /// </summary>
    /// <param name="network">The parameters to check at (not changed).</param>
    /// <param name="x">N rows of D inputs, back to back.</param>
    /// <param name="y">N labels.</param>
    /// <param name="s">N sample weights, or null for all 1.</param>
    /// <param name="l2">λ, the L2 penalty.</param>
    /// <param name="options">Tolerances and mode; null for the defaults.</param>
    public static GradientCheckReport Check(Network network, double[] x, double[] y, double[]? s = null, double l2 = 0, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var analytic = Gradients.For(network);
        Backprop.Objective(network, x, y, s ?? [], l2, analytic);
        return Check(network, n => Backprop.Objective(n, x, y, s ?? [], l2), analytic, options);
    }

    /// <summary>
    /// Checks any analytic gradient against central differences of any scalar function of the parameters:
    /// the general form, for your own loss or for gradients you computed yourself.
    /// </summary>
    /// <param name="network">The point θ (not changed; a copy is perturbed).</param>
    /// <param name="objective">f(θ).</param>
    /// <param name="analytic">Your ∂f/∂θ at <paramref name="network"/>.</param>
    /// <param name="options">Tolerances and mode; null for the defaults.</param>
    public static GradientCheckReport Check(Network network, Func<Network, double> objective, Gradients analytic, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(analytic);
        options ??= new GradientCheckOptions();
        options.Validate();
        if (!analytic.Fits(network))
        {
            throw new ArgumentException(
                $"analytic is shaped {Gradients.Shape(analytic.InputCount, analytic.HiddenCount, analytic.OutputCount)} but the network is " +
                $"{Gradients.Shape(network.InputCount, network.HiddenCount, network.OutputCount)}.",
                nameof(analytic));
        }

        Network probe = network.Clone();
        double absoluteTolerance = options.AbsoluteTolerance * Math.Max(1, Math.Abs(objective(probe)));
        var tensors = new List<TensorCheck>(4);
        var rng = new Rng((ulong)options.Seed);
        tensors.Add(CheckTensor("w1", probe.W1, analytic.W1, probe, objective, options, absoluteTolerance, ref rng, i => $"w1[{i / network.InputCount}, {i % network.InputCount}]"));
        tensors.Add(CheckTensor("b1", probe.B1, analytic.B1, probe, objective, options, absoluteTolerance, ref rng, i => $"b1[{i}]"));
        // w2 is K × H and b2 has K entries (docs/notes-multiclass.md M4), written as the notes write them: for K = 1 the
        // notes' vector w2[h] and scalar b2.
        int hCount = network.HiddenCount;
        bool one = network.OutputCount == 1;
        tensors.Add(CheckTensor("w2", probe.W2, analytic.W2, probe, objective, options, absoluteTolerance, ref rng, i => one ? $"w2[{i}]" : $"w2[{i / hCount}, {i % hCount}]"));
        tensors.Add(CheckTensor("b2", probe.B2, analytic.B2, probe, objective, options, absoluteTolerance, ref rng, i => one ? "b2" : $"b2[{i}]"));
        var report = new GradientCheckReport(tensors, options);
        if (options.ThrowOnFailure && !report.Passed)
        {
            throw new GradientCheckException(report);
        }

        return report;
    }

    private static TensorCheck CheckTensor(
        string name, double[] theta, double[] analytic, Network probe, Func<Network, double> f, GradientCheckOptions o, double atol, ref Rng rng, Func<int, string> position)
    {
        var comparison = new Comparison(atol, o.RelativeTolerance);
        if (o.RandomDirections == 0 || theta.Length <= o.RandomDirections)
        {
            // Every element: also in fast mode when the tensor has no more elements than directions (K = 1's b2), which is exact and no dearer.
            for (int i = 0; i < theta.Length; i++)
            {
                double original = theta[i];
                theta[i] = original + o.Epsilon;
                double plus = f(probe);
                theta[i] = original - o.Epsilon;
                double minus = f(probe);
                theta[i] = original;
                comparison.Add(i, analytic[i], (plus - minus) / (2 * o.Epsilon));
            }

            return comparison.Result(name, position);
        }

        // Random Rademacher directions u (each component ±1/√n, a unit vector): g · u against the central difference along u.
        var u = new double[theta.Length];
        var start = (double[])theta.Clone();
        double scale = 1 / Math.Sqrt(theta.Length);
        for (int k = 0; k < o.RandomDirections; k++)
        {
            double directional = 0;
            for (int i = 0; i < u.Length; i++)
            {
                u[i] = rng.NextDouble() < 0.5 ? -scale : scale;
                directional += analytic[i] * u[i];
            }

            for (int i = 0; i < u.Length; i++)
            {
                theta[i] = start[i] + o.Epsilon * u[i];
            }

            double plus = f(probe);
            for (int i = 0; i < u.Length; i++)
            {
                theta[i] = start[i] - o.Epsilon * u[i];
            }

            double minus = f(probe);
            start.CopyTo(theta, 0);
            comparison.Add(k, directional, (plus - minus) / (2 * o.Epsilon));
        }

        return comparison.Result(name, k => $"direction {k}");
    }

    /// <summary>Running maxima and the worst element, by how many times its tolerance each error is.</summary>
    private struct Comparison(double atol, double rtol)
    {
        private double _maxAbs, _maxRel, _worstRatio = -1, _worstAnalytic, _worstNumeric;
        private int _worst, _count;
        private bool _passed = true;

        public void Add(int index, double analytic, double numeric)
        {
            double size = Math.Abs(analytic) + Math.Abs(numeric);
            double abs = Math.Abs(analytic - numeric);
            double rel = abs / Math.Max(size, Tiny);
            // Passing means |a − n| ≤ atol or rel ≤ rtol, that is |a − n| ≤ max(atol, rtol (|a| + |n|)): ratio ≤ 1.
            double ratio = double.IsNaN(abs) ? double.PositiveInfinity : abs / Math.Max(Math.Max(atol, rtol * size), Tiny);
            _count++;
            _passed &= ratio <= 1;
            _maxAbs = double.IsNaN(abs) ? double.PositiveInfinity : Math.Max(_maxAbs, abs);
            _maxRel = double.IsNaN(rel) ? double.PositiveInfinity : Math.Max(_maxRel, rel);
            if (ratio > _worstRatio)
            {
                _worstRatio = ratio;
                _worst = index;
                _worstAnalytic = analytic;
                _worstNumeric = numeric;
            }
        }

        public readonly TensorCheck Result(string name, Func<int, string> position) =>
            new(name, _count, _maxAbs, _maxRel, _worst, position(_worst), _worstAnalytic, _worstNumeric, _passed);
    }
}

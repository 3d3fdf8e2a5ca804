namespace TinyNet;

/// <summary>
/// Per-sample losses of the three heads, in double precision. Each is paired with the output activation that
/// makes its output error δ2 = ∂ℓ/∂z2 = a2 − y (errata E9; docs/notes-multiclass.md M3):
/// identity + half squared error, sigmoid + log-loss, and softmax + cross-entropy.
/// </summary>
public static class Losses
{
    /// <summary>
    /// Half squared error ℓ = ½ (y − a2)² (regression head). The boxed formulas of P2–P3 are its exact
    /// gradient; the notes' Loss_MSE (P1) is 2/N times the sum of these (errata E1, E2).
    /// </summary>
    public static double HalfSquaredError(double y, double a2)
    {
        double r = y - a2;
        return 0.5 * r * r;
    }

    /// <summary>
    /// Log-loss ℓ = −[y log a2 + (1 − y) log(1 − a2)] with a2 = σ(z2) (P5), computed from the logit z2. Since
    /// −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z), ℓ = y softplus(−z2) + (1 − y) softplus(z2): two
    /// non-negative terms and no subtraction, so it keeps full relative precision for confident predictions
    /// (y = 1, z2 = 40 gives 4.2e-18, not 0), never takes log(0), and is finite for every finite z2.
    /// </summary>
    public static double LogLossFromLogit(double y, double z2) => y * Softplus(-z2) + (1.0 - y) * Softplus(z2);

    /// <summary>
    /// softplus(z) = log(1 + e^z), evaluated as max(z, 0) + log1p(e^(−|z|)) so that it never overflows and keeps full
    /// relative precision where it is tiny (z ≪ 0).
    /// </summary>
    public static double Softplus(double z) => Math.Max(z, 0.0) + Log1P(Math.Exp(-Math.Abs(z)));

    /// <summary>
    /// log(1 + x) for x ≥ 0, accurate to a few ulps also for tiny x where log(1 + x) would round 1 + x to 1
    /// (Goldberg's correction: log(u) · x / (u − 1) with u = 1 + x). .NET's LogP1 is log(x + 1) and loses these digits.
    /// </summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>
    /// Cross-entropy ℓ = −Σₖ yₖ log a2ₖ = −log a2_y with a2 = softmax(z2) and y one-hot at class <paramref name="y"/>
    /// (docs/notes-multiclass.md M1), computed from the logits as the log-softmax logsumexp(z2) − z2_y, written as
    /// ℓ = (m − z2_y) + log1p(Σ_{j ≠ t} e^(z2ⱼ − m)) with t the (first) largest logit and m = z2_t. Both terms are ≥ 0 and
    /// nothing is subtracted, so a confidently right row keeps full relative precision (z2 = [40, 0], y = 0 gives 4.2e-18,
    /// as the binary head's softplus; logsumexp − z2_y would give 0); e^(z2ⱼ − m) ≤ 1 never overflows and log1p never
    /// sees 0, so ℓ is finite for every finite z2 (z2 = [0, 1000] with y = 0 gives 1000, not ∞).
    /// </summary>
    /// <param name="y">The class, 0 … K − 1.</param>
    /// <param name="z2">The K logits.</param>
    public static double CrossEntropyFromLogits(int y, ReadOnlySpan<double> z2)
    {
        if ((uint)y >= (uint)z2.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(y), y, $"The class y is {y}; with K = {z2.Length} logits it must be 0 … {z2.Length - 1}.");
        }

        (double m, double others) = ShiftedExpSum(z2);
        return (m - z2[y]) + Log1P(others);
    }

    /// <summary>log Σⱼ e^(zⱼ), as m + log1p(Σ_{j ≠ t} e^(zⱼ − m)) with m = z_t the largest (never overflows; log1p never sees a negative).</summary>
    public static double LogSumExp(ReadOnlySpan<double> z)
    {
        (double m, double others) = ShiftedExpSum(z);
        return m + Log1P(others);
    }

    /// <summary>The largest value m = z_t (the first of ties) and Σ_{j ≠ t} e^(zⱼ − m), each term in [0, 1].</summary>
    private static (double Max, double Others) ShiftedExpSum(ReadOnlySpan<double> z)
    {
        if (z.IsEmpty)
        {
            throw new ArgumentException("z is empty; logsumexp needs at least one logit.", nameof(z));
        }

        int top = 0;
        for (int j = 1; j < z.Length; j++)
        {
            if (z[j] > z[top])
            {
                top = j;
            }
        }

        double m = z[top], others = 0;
        for (int j = 0; j < z.Length; j++)
        {
            others += j == top ? 0.0 : Math.Exp(z[j] - m);
        }

        return (m, others);
    }

    /// <summary>
    /// The loss of a one-output <paramref name="head"/> for one sample, from the logit z2 (regression: a2 = z2).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="head"/> is multiclass: use <see cref="CrossEntropyFromLogits"/>.</exception>
    public static double Loss(Head head, double y, double z2) => OutputHead.For(head) is OneOutputHead one
        ? one.Loss(y, z2)
        : throw new ArgumentException("The multiclass head has K logits; use Losses.CrossEntropyFromLogits.", nameof(head));

    /// <summary>The loss of any head for one sample from its K logits (K = 1 for regression and binary); y is the label (the class for multiclass).</summary>
    public static double Loss(Head head, double y, ReadOnlySpan<double> z2) => OutputHead.For(head).Loss(y, z2);
}

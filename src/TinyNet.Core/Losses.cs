namespace TinyNet;

/// <summary>
/// Per-sample losses of the two heads, in double precision. Each is paired with the output activation that
/// makes its output error δ2 = ∂ℓ/∂z2 = a2 − y (errata E9):
/// identity + half squared error, and sigmoid + log-loss.
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
    /// The loss of <paramref name="head"/> for one sample, from the logit z2 (regression: a2 = z2).
    /// </summary>
    public static double Loss(Head head, double y, double z2) =>
        head == Head.Regression ? HalfSquaredError(y, z2) : LogLossFromLogit(y, z2);
}

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
    /// Log-loss ℓ = −[y log a2 + (1 − y) log(1 − a2)] with a2 = σ(z2) (P5), computed from the logit z2 in the
    /// softplus form ℓ = softplus(z2) − y z2, which never takes log(0) and is finite for every finite z2.
    /// </summary>
    public static double LogLossFromLogit(double y, double z2) => Softplus(z2) - y * z2;

    /// <summary>
    /// softplus(z) = log(1 + e^z), evaluated as max(z, 0) + log(1 + e^(−|z|)) so that it never overflows.
    /// </summary>
    public static double Softplus(double z) => Math.Max(z, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));

    /// <summary>
    /// The loss of <paramref name="head"/> for one sample, from the logit z2 (regression: a2 = z2).
    /// </summary>
    public static double Loss(Head head, double y, double z2) =>
        head == Head.Regression ? HalfSquaredError(y, z2) : LogLossFromLogit(y, z2);
}

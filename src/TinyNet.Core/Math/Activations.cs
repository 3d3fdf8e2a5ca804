using System.Numerics;

namespace TinyNet;

/// <summary>
/// The activation functions of the notes (P1) and their derivatives, one small function each, in double
/// precision. The derivative sits beside its forward formula.
/// </summary>
public static class Activations
{
    /// <summary>
    /// Logistic sigmoid σ(z) = 1 / (1 + e^(−z)) (P1, hidden layer and binary output).
    /// Evaluated so that e^(...) never overflows: for z &lt; 0 it uses σ(z) = e^z / (1 + e^z).
    /// Finite for every finite z; σ(−∞) = 0, σ(+∞) = 1.
    /// </summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    /// <summary>
    /// σ'(z) written through the activation a = σ(z): σ'(z) = a (1 − a) (P3, P5; errata E4: the notes'
    /// "sin(z1)(1 − sin(z1))" is a slip for this).
    /// </summary>
    public static double SigmoidDerivative(double a) => a * (1.0 - a);

    /// <summary>Identity output a2 = z2 (P1, regression head).</summary>
    public static double Identity(double z) => z;

    /// <summary>Derivative of the identity: 1, which is why P2 may "ignore" ∂a2/∂z2 (errata E3).</summary>
    public static double IdentityDerivative(double z) => 1.0;

    /// <summary>The output activation a2 of a one-output <paramref name="head"/> applied to the logit z2 (P1).</summary>
    /// <exception cref="ArgumentException"><paramref name="head"/> is multiclass, whose output is a vector: use <see cref="Softmax"/>.</exception>
    public static double Output(Head head, double z2) => OutputHead.For(head) is OneOutputHead one
        ? one.Output(z2)
        : throw new ArgumentException("The multiclass head has K outputs; use Activations.Softmax on all K logits.", nameof(head));

    /// <summary>
    /// softmax(z)ₖ = e^(zₖ) / Σⱼ e^(zⱼ) (docs/notes-multiclass.md M1, multiclass output), written into <paramref name="a"/>.
    /// Evaluated as e^(zₖ − m) / Σⱼ e^(zⱼ − m) with m = maxⱼ zⱼ: the same value (the factor e^(−m) cancels), but every
    /// exponent is ≤ 0, so nothing overflows (z = [1000, 0] gives [1, e^(−1000)] = [1, 0], not NaN) and the sum is ≥ 1.
    /// Its Jacobian ∂a2ₖ/∂z2ⱼ = a2ₖ (1[k = j] − a2ⱼ) (M2) is never formed: against cross-entropy it collapses to a2 − y (M3).
    /// </summary>
    public static void Softmax(ReadOnlySpan<double> z, Span<double> a) => Softmax<double>(z, a);

    /// <summary>
    /// <see cref="Softmax(ReadOnlySpan{double}, Span{double})"/> in any precision (the float scorer's), <paramref name="a"/>
    /// may be <paramref name="z"/> itself.
    /// </summary>
    internal static void Softmax<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : IFloatingPointIeee754<T>
    {
        if (a.Length != z.Length)
        {
            throw new ArgumentException($"a has room for {a.Length} values; pass one per logit ({z.Length}).", nameof(a));
        }

        T m = Max(z);
        T sum = T.Zero;
        for (int k = 0; k < z.Length; k++)
        {
            a[k] = T.Exp(z[k] - m);
            sum += a[k];
        }

        for (int k = 0; k < z.Length; k++)
        {
            a[k] /= sum;
        }
    }

    /// <summary>The largest value of a non-empty span (the shift of <see cref="Softmax"/>).</summary>
    internal static T Max<T>(ReadOnlySpan<T> z)
        where T : IFloatingPointIeee754<T>
    {
        if (z.IsEmpty)
        {
            throw new ArgumentException("z is empty; the softmax needs at least one logit.", nameof(z));
        }

        T m = z[0];
        for (int k = 1; k < z.Length; k++)
        {
            m = T.Max(m, z[k]);
        }

        return m;
    }
}

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

    /// <summary>The output activation a2 of <paramref name="head"/> applied to the logit z2 (P1).</summary>
    public static double Output(Head head, double z2) =>
        head == Head.Regression ? Identity(z2) : Sigmoid(z2);
}

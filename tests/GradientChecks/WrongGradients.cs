namespace TinyNet.GradientChecks;

/// <summary>Deliberately wrong versions of the boxed formulas, for proving that the checker catches them.</summary>
public static class WrongGradients
{
    public enum Mistake
    {
        None,
        DroppedSigmoidDerivative,   // δ1 = δ2 w2, without a1 (1 − a1)
        FlippedSign,                // δ2 = y − a2
        FactorTwo,                  // ∂L/∂w2 = 2 Σ δ2 a1
        TransposedW1,               // ∂L/∂w1 stored as D × H read as H × D
        MissingX,                   // ∂L/∂w1 = Σ δ1 (errata E5)
        SineDerivative,             // g'(z1) = sin(z1)(1 − sin(z1)) (errata E4)
    }

    /// <summary>Computes the summed gradient with <paramref name="mistake"/> and checks it with <see cref="GradientChecker"/>.</summary>
    internal static GradientCheckReport Check(Case c, Mistake mistake, GradientCheckOptions? options = null) =>
        GradientChecker.Check(c.Network, n => Oracle.Loss(n, c.X, c.Y, c.S), Compute(c, mistake), options);

    internal static Gradients Compute(Case c, Mistake mistake)
    {
        Network net = c.Network;
        int d = net.InputCount, hCount = net.HiddenCount;
        var g = new Gradients(d, hCount);
        var z1 = new double[hCount];
        var a1 = new double[hCount];
        for (int i = 0; i < c.Y.Length; i++)
        {
            double[] x = c.X[(i * d)..((i + 1) * d)];
            double s = c.S?[i] ?? 1;
            double z2 = net.Forward(x, z1, a1);
            double a2 = Activations.Output(net.Head, z2);
            double delta2 = s * (mistake == Mistake.FlippedSign ? c.Y[i] - a2 : a2 - c.Y[i]);
            g.B2[0] += delta2;
            for (int h = 0; h < hCount; h++)
            {
                g.W2[h] += (mistake == Mistake.FactorTwo ? 2 : 1) * delta2 * a1[h];
                double derivative = mistake switch
                {
                    Mistake.DroppedSigmoidDerivative => 1,
                    Mistake.SineDerivative => Math.Sin(z1[h]) * (1 - Math.Sin(z1[h])),
                    _ => a1[h] * (1 - a1[h]),
                };
                double delta1 = delta2 * net.W2[h] * derivative;
                g.B1[h] += delta1;
                for (int j = 0; j < d; j++)
                {
                    double term = mistake == Mistake.MissingX ? delta1 : delta1 * x[j];
                    if (mistake == Mistake.TransposedW1)
                    {
                        g.W1[(j * hCount + h) % g.W1.Length] += term;   // D × H layout read as H × D
                    }
                    else
                    {
                        g.W1[h * d + j] += term;
                    }
                }
            }
        }

        return g;
    }
}

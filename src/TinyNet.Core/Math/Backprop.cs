namespace TinyNet;

/// <summary>
/// The boxed formulas of the notes, one method each, in double precision; the oracle for the fast engine and
/// the subject of tests/GradientChecks. Per sample, for the two one-output heads (errata E8, E9):
/// <code>
/// δ2     = a2 − y                         (P2, P6)
/// ∂L/∂w2 = δ2 a1                          (P2 box 1, P5 box)
/// ∂L/∂b2 = δ2                             (P2 box 2, P6 box 1)
/// δ1     = δ2 w2 ⊙ a1 ⊙ (1 − a1)          (P3, P6; errata E4: σ', not sin)
/// ∂L/∂w1 = δ1 xᵀ                          (P3 box 1 with the trailing × = x, errata E5; P6 box 2)
/// ∂L/∂b1 = δ1                             (P3 box 2, P6 box 3)
/// </code>
/// The multiclass head (docs/notes-multiclass.md) has K outputs and the same formulas with δ2 a vector:
/// <code>
/// δ2     = a2 − y,  a2 = softmax(z2), y one-hot     (M3: the softmax Jacobian cancels against cross-entropy)
/// ∂L/∂W2 = δ2 a1ᵀ                                     (M4 box 1, K × H)
/// ∂L/∂b2 = δ2                                         (M4 box 2, K values)
/// δ1     = (W2ᵀ δ2) ⊙ a1 ⊙ (1 − a1)                   (M4 box 3)
/// ∂L/∂w1 = δ1 xᵀ,   ∂L/∂b1 = δ1                      (M4 boxes 4 and 5: unchanged)
/// </code>
/// Over a batch the notes sum: L = Σᵢ sᵢ ℓᵢ (sᵢ the sample weights, 1 by default) has gradient Σᵢ sᵢ (...)ᵢ.
/// For the regression head ℓ = ½ (y − a2)², so these are (N/2) × the gradient of the notes' Loss_MSE (errata E2).
/// </summary>
public static class Backprop
{
    /// <summary>
    /// The output error δ2 = ∂ℓ/∂z2 = a2 − y (P2 and P6) of a one-output head. The same for both because identity + ½ squared
    /// error and sigmoid + log-loss are matched pairs: for the sigmoid, the a2(1 − a2) of ∂a2/∂z2 cancels the
    /// denominator of ∂ℓ/∂a2 = (a2 − y) / (a2(1 − a2)) (P5–P6; errata E3, E9).
    /// </summary>
    public static double Delta2(double a2, double y) => a2 - y;

    /// <summary>
    /// ∂L/∂w2 = Σ (a2 − y) a1 (P2, first box; P5, box): adds δ2 · a1 into <paramref name="dw2"/> (H values).
    /// </summary>
    public static void AddDLossDW2(double delta2, ReadOnlySpan<double> a1, Span<double> dw2)
    {
        for (int h = 0; h < dw2.Length; h++)
        {
            dw2[h] += delta2 * a1[h];
        }
    }

    /// <summary>∂L/∂b2 = Σ (a2 − y) (P2, second box; P6, first box): one sample's term is δ2 itself.</summary>
    public static double DLossDB2(double delta2) => delta2;

    /// <summary>
    /// Multiclass output error δ2 = ∂ℓ/∂z2 = a2 − y (docs/notes-multiclass.md M3) with a2 = softmax(z2) and y one-hot at
    /// class <paramref name="y"/>: δ2ₖ = a2ₖ − 1[k = y]. Softmax + cross-entropy is a matched pair: the chain rule through
    /// the softmax Jacobian a2ₖ(1[k = j] − a2ⱼ) against ∂ℓ/∂a2ₖ = −yₖ / a2ₖ collapses to exactly this (M2–M3).
    /// </summary>
    public static void Delta2(ReadOnlySpan<double> a2, int y, Span<double> delta2)
    {
        for (int k = 0; k < delta2.Length; k++)
        {
            delta2[k] = a2[k] - (k == y ? 1.0 : 0.0);
        }
    }

    /// <summary>
    /// ∂L/∂W2 = Σ δ2 a1ᵀ (docs/notes-multiclass.md M4, first box): adds the outer product of δ2 (K values) and a1
    /// (H values) into <paramref name="dw2"/> (K × H, row-major). Row k is P2's box for output unit k.
    /// </summary>
    public static void AddDLossDW2(ReadOnlySpan<double> delta2, ReadOnlySpan<double> a1, Span<double> dw2)
    {
        int hCount = a1.Length;
        for (int k = 0; k < delta2.Length; k++)
        {
            Span<double> row = dw2.Slice(k * hCount, hCount);
            for (int h = 0; h < hCount; h++)
            {
                row[h] += delta2[k] * a1[h];
            }
        }
    }

    /// <summary>∂L/∂b2 = Σ δ2 (docs/notes-multiclass.md M4, second box): adds one sample's δ2 (K values) into <paramref name="db2"/>.</summary>
    public static void AddDLossDB2(ReadOnlySpan<double> delta2, Span<double> db2)
    {
        for (int k = 0; k < delta2.Length; k++)
        {
            db2[k] += delta2[k];
        }
    }

    /// <summary>
    /// The multiclass hidden error δ1 = (W2ᵀ δ2) ⊙ a1 ⊙ (1 − a1) (docs/notes-multiclass.md M4, third box): every output k
    /// sends δ2ₖ back along its own weights w2[k, h], and hidden unit h adds them up (each z2ₖ depends on a1ₕ).
    /// <paramref name="w2"/> is K × H, row-major.
    /// </summary>
    public static void Delta1(ReadOnlySpan<double> delta2, ReadOnlySpan<double> w2, ReadOnlySpan<double> a1, Span<double> delta1)
    {
        int hCount = a1.Length;
        for (int h = 0; h < hCount; h++)
        {
            double back = 0;                                   // (W2ᵀ δ2)ₕ = Σₖ w2[k, h] δ2ₖ
            for (int k = 0; k < delta2.Length; k++)
            {
                back += w2[k * hCount + h] * delta2[k];
            }

            delta1[h] = back * Activations.SigmoidDerivative(a1[h]);
        }
    }

    /// <summary>
    /// The hidden error δ1 = δ2 · w2 ⊙ a1 ⊙ (1 − a1) (the common factor of P3's and P6's w1 and b1 boxes):
    /// δ2 carried back through z2 = w2 · a1 + b2 (∂z2/∂a1 = w2) and a1 = σ(z1) (∂a1/∂z1 = a1(1 − a1), errata E4).
    /// </summary>
    public static void Delta1(double delta2, ReadOnlySpan<double> w2, ReadOnlySpan<double> a1, Span<double> delta1)
    {
        for (int h = 0; h < delta1.Length; h++)
        {
            delta1[h] = delta2 * w2[h] * Activations.SigmoidDerivative(a1[h]);
        }
    }

    /// <summary>
    /// ∂L/∂w1 = Σ (a2 − y) w2 a1(1 − a1) X (P3, first box, whose trailing "×" is the input X, errata E5;
    /// P6, second box): adds the outer product δ1 xᵀ into <paramref name="dw1"/> (H × D, row-major).
    /// </summary>
    public static void AddDLossDW1(ReadOnlySpan<double> delta1, ReadOnlySpan<double> x, Span<double> dw1)
    {
        int d = x.Length;
        for (int h = 0; h < delta1.Length; h++)
        {
            Span<double> row = dw1.Slice(h * d, d);
            for (int j = 0; j < d; j++)
            {
                row[j] += delta1[h] * x[j];
            }
        }
    }

    /// <summary>
    /// ∂L/∂b1 = Σ (a2 − y) w2 a1(1 − a1) (P3, second box; P6, third box): adds δ1 into <paramref name="db1"/>.
    /// </summary>
    public static void AddDLossDB1(ReadOnlySpan<double> delta1, Span<double> db1)
    {
        for (int h = 0; h < db1.Length; h++)
        {
            db1[h] += delta1[h];
        }
    }

    /// <summary>
    /// The notes' summed loss L = Σᵢ sᵢ ℓᵢ over a batch (ℓ from <see cref="Losses.Loss(Head, double, ReadOnlySpan{double})"/>).
    /// </summary>
    /// <param name="network">The parameters.</param>
    /// <param name="x">N rows of D inputs, back to back.</param>
    /// <param name="y">N labels.</param>
    /// <param name="s">N sample weights, or empty for all 1.</param>
    public static double Loss(Network network, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s)
    {
        int n = CheckBatch(network, x, y, s);
        int d = network.InputCount;
        var z1 = new double[network.HiddenCount];
        var a1 = new double[network.HiddenCount];
        var z2 = new double[network.OutputCount];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            network.Forward(x.Slice(i * d, d), z1, a1, z2);
            sum += Weight(s, i) * network.OutputHead.Loss(y[i], z2);
        }

        return sum;
    }

    /// <summary>
    /// The boxed formulas summed over a batch: writes ∂L/∂θ of L = Σᵢ sᵢ ℓᵢ into <paramref name="gradients"/>
    /// (overwriting it) and returns L. Arguments as for <see cref="Loss"/>.
    /// </summary>
    public static double Compute(Network network, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Gradients gradients)
    {
        int n = CheckBatch(network, x, y, s);
        ArgumentNullException.ThrowIfNull(gradients);
        if (!gradients.Fits(network))
        {
            throw new ArgumentException(
                $"gradients are shaped {Gradients.Shape(gradients.InputCount, gradients.HiddenCount, gradients.OutputCount)} but the network is " +
                $"{Gradients.Shape(network.InputCount, network.HiddenCount, network.OutputCount)}.",
                nameof(gradients));
        }

        OutputHead head = network.OutputHead;
        int d = network.InputCount, hCount = network.HiddenCount, kCount = network.OutputCount;
        var z1 = new double[hCount];
        var a1 = new double[hCount];
        var delta1 = new double[hCount];
        var z2 = new double[kCount];
        var a2 = new double[kCount];
        var delta2 = new double[kCount];
        gradients.Clear();
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> xi = x.Slice(i * d, d);
            network.Forward(xi, z1, a1, z2);
            head.Output(z2, a2);                           // a2 = z2, σ(z2) or softmax(z2) (P1, M1)
            double si = Weight(s, i);
            loss += si * head.Loss(y[i], z2);

            head.Delta2(y[i], a2, delta2);                 // δ2 = a2 − y (P2, P6, M3)
            for (int k = 0; k < kCount; k++)
            {
                delta2[k] *= si;                           // the weight sᵢ scales the sample's whole gradient
            }

            AddDLossDW2(delta2, a1, gradients.W2);
            AddDLossDB2(delta2, gradients.B2);
            Delta1(delta2, network.W2, a1, delta1);
            AddDLossDW1(delta1, xi, gradients.W1);
            AddDLossDB1(delta1, gradients.B1);
        }

        return loss;
    }

    /// <summary>
    /// The training objective J = (Σᵢ sᵢ ℓᵢ) / (Σᵢ sᵢ) + (λ/2)(‖w1‖² + ‖w2‖²) of a batch and its gradient: the weighted
    /// mean of the boxed formulas plus λ w on the weights (biases are not regularised). Without weights Σᵢ sᵢ = N, the
    /// batch's row count. This is exactly what <see cref="Trainer"/> descends, so the learning rate means the same for
    /// every batch size and every scale of the weights (weights express relative importance only; zero-weight rows do
    /// not dilute a batch), and λ enters every step in full whatever the batch.
    /// </summary>
    /// <exception cref="ArgumentException">The weights sum to 0: the objective is undefined.</exception>
    public static double Objective(Network network, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, double l2, Gradients gradients) =>
        Objective(network, x, y, s, l2, gradients, out _);

    /// <summary>As <see cref="Objective(Network, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Gradients)"/>, also giving the summed loss L = Σᵢ sᵢ ℓᵢ.</summary>
    public static double Objective(Network network, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, double l2, Gradients gradients, out double lossSum)
    {
        double weightSum = WeightSum(y.Length, s);
        double loss = Compute(network, x, y, s, gradients);
        lossSum = loss;
        double scale = 1.0 / weightSum;
        Scale(gradients.W1, scale);
        Scale(gradients.B1, scale);
        Scale(gradients.W2, scale);
        Scale(gradients.B2, scale);
        double penalty = 0;
        for (int i = 0; i < network.W1.Length; i++)
        {
            gradients.W1[i] += l2 * network.W1[i];
            penalty += network.W1[i] * network.W1[i];
        }

        for (int i = 0; i < network.W2.Length; i++)
        {
            gradients.W2[i] += l2 * network.W2[i];
            penalty += network.W2[i] * network.W2[i];
        }

        return loss * scale + 0.5 * l2 * penalty;
    }

    /// <summary>The objective of <see cref="Objective(Network, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Gradients)"/> without its gradient.</summary>
    public static double Objective(Network network, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, double l2)
    {
        double penalty = 0;
        foreach (double w in network.W1)
        {
            penalty += w * w;
        }

        foreach (double w in network.W2)
        {
            penalty += w * w;
        }

        return Loss(network, x, y, s) / WeightSum(y.Length, s) + 0.5 * l2 * penalty;
    }

    /// <summary>Σᵢ sᵢ, the denominator of the objective: N without weights; refuses weights that sum to 0.</summary>
    private static double WeightSum(int n, ReadOnlySpan<double> s)
    {
        if (s.IsEmpty)
        {
            return n;
        }

        double sum = 0;
        foreach (double w in s)
        {
            sum += w;
        }

        if (!(sum > 0))
        {
            throw new ArgumentException($"s: the {s.Length} sample weights sum to {sum}; at least one weight must be positive.", nameof(s));
        }

        return sum;
    }

    private static void Scale(double[] values, double scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }

    private static double Weight(ReadOnlySpan<double> s, int i) => s.IsEmpty ? 1.0 : s[i];

    private static int CheckBatch(Network network, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s)
    {
        int n = y.Length;
        if (n == 0)
        {
            throw new ArgumentException("y is empty; a batch needs at least one sample.", nameof(y));
        }

        if (x.Length != n * network.InputCount)
        {
            throw new ArgumentException(
                $"x holds {x.Length} values; {n} samples of D = {network.InputCount} inputs need {n * network.InputCount}.", nameof(x));
        }

        if (!s.IsEmpty && s.Length != n)
        {
            throw new ArgumentException($"s holds {s.Length} weights; pass one per sample ({n}) or none.", nameof(s));
        }

        // The one-output losses are defined for any label (soft binary labels included); a class must index a2.
        int k = network.OutputCount;
        for (int i = 0; i < n && network.OutputHead.HasClasses; i++)
        {
            if (!network.OutputHead.IsLabel(y[i], k))
            {
                throw new ArgumentException($"y: label of sample {i} is {y[i]}; the multiclass head with K = {k} needs a class 0 … {k - 1}.", nameof(y));
            }
        }

        return n;
    }
}

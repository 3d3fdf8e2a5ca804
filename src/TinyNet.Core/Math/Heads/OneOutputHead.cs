namespace TinyNet;

/// <summary>
/// The two heads with one output unit (K = 1), the notes' own (P1): z2 is one logit per row and a2 = f(z2) one value.
/// </summary>
internal abstract class OneOutputHead : OutputHead
{
    /// <summary>a2 = f(z2) for one logit, in double.</summary>
    public abstract double Output(double z2);

    /// <summary>ℓ(y, z2) for one logit, in double.</summary>
    public abstract double Loss(double y, double z2);

    /// <summary>a2 and ℓ of one row from its logit, in float32 (the fast engine's forms of <see cref="Output(double)"/> and <see cref="Loss(double, double)"/>).</summary>
    public abstract (float A2, float Loss) OutputAndLoss(float z2, float y);

    public sealed override void Output(ReadOnlySpan<double> z2, Span<double> a2) => a2[0] = Output(z2[0]);

    public sealed override double Loss(double y, ReadOnlySpan<double> z2) => Loss(y, z2[0]);

    public sealed override void Delta2(double y, ReadOnlySpan<double> a2, Span<double> delta2) =>
        delta2[0] = Backprop.Delta2(a2[0], y);

    public sealed override double Delta2(in OutputChunk chunk)
    {
        Span<float> z = chunk.Z2;
        double lossSum = 0;
        float db2 = 0;
        for (int b = 0; b < chunk.Count; b++)
        {
            int row = chunk.RowIndex[b];
            float y = chunk.Labels[row];
            float s = chunk.Weights.IsEmpty ? 1f : chunk.Weights[row];
            (float a2, float loss) = OutputAndLoss(z[b], y);
            lossSum += s * loss;
            float delta2 = s * (a2 - y) * chunk.InvN;         // δ2 = a2 − y (P2, P6), weighted, over the batch's Σ s
            z[b] = delta2;
            db2 += delta2;                                    // ∂J/∂b2 = Σ δ2
        }

        z[chunk.Count..chunk.Rows].Clear();                   // padding rows contribute nothing
        chunk.Db2[0] += db2;
        return lossSum;
    }

    public sealed override void Output(Span<float> z2, int outputCount)
    {
        for (int i = 0; i < z2.Length; i++)
        {
            z2[i] = (float)Output(z2[i]);
        }
    }
}

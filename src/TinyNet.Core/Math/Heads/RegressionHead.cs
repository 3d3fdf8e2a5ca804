namespace TinyNet;

/// <summary>
/// Regression (<see cref="Head.Regression"/>): identity output a2 = z2 (P1) with half squared error ℓ = ½ (y − a2)², the
/// loss the boxed formulas of P2–P3 are the exact gradient of (errata E2). Any finite label.
/// </summary>
internal sealed class RegressionHead : OneOutputHead
{
    public override Head Tag => Head.Regression;

    public override double Output(double z2) => Activations.Identity(z2);

    public override double Loss(double y, double z2) => Losses.HalfSquaredError(y, z2);

    public override (float A2, float Loss) OutputAndLoss(float z2, float y)
    {
        float r = y - z2;
        return (z2, 0.5f * r * r);
    }

    /// <summary>½ × the weighted variance of the labels: the loss of predicting their mean.</summary>
    public override double ConstantPredictionLoss(DataSet data, int outputCount)
    {
        double mean = WeightedMean(data);
        ReadOnlySpan<float> y = data.Labels.Span;
        ReadOnlySpan<float> s = data.Weights is { } w ? w.Span : default;
        double squares = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double r = y[i] - mean;
            squares += (s.IsEmpty ? 1.0 : s[i]) * r * r;
        }

        return 0.5 * squares / data.WeightSum;
    }
}

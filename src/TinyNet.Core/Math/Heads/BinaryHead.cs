namespace TinyNet;

/// <summary>
/// Binary classification (<see cref="Head.BinaryClassification"/>): sigmoid output a2 = σ(z2) (P1), the probability of
/// the positive class, with log-loss ℓ = −[y log a2 + (1 − y) log(1 − a2)] (P5); labels 0 or 1.
/// </summary>
internal sealed class BinaryHead : OneOutputHead
{
    public override Head Tag => Head.BinaryClassification;

    public override double Output(double z2) => Activations.Sigmoid(z2);

    public override double Loss(double y, double z2) => Losses.LogLossFromLogit(y, z2);

    /// <summary>
    /// a2 = σ(z2) and ℓ = y softplus(−z2) + (1 − y) softplus(z2) in float (the forms of <see cref="Activations.Sigmoid"/> and
    /// <see cref="Losses.LogLossFromLogit"/>), sharing one e^(−|z2|).
    /// </summary>
    public override (float A2, float Loss) OutputAndLoss(float z2, float y)
    {
        float e = MathF.Exp(-MathF.Abs(z2));
        float a2 = z2 >= 0 ? 1f / (1f + e) : e / (1f + e);
        float u = 1f + e;
        float log1pE = u == 1f ? e : MathF.Log(u) * e / (u - 1f);            // log(1 + e), exact also for tiny e
        float softplus = MathF.Max(z2, 0f) + log1pE, softplusNeg = MathF.Max(-z2, 0f) + log1pE;
        return (a2, y * softplusNeg + (1f - y) * softplus);                 // no cancellation (Losses.LogLossFromLogit)
    }

    public override bool IsLabel(double y, int outputCount) => y is 0 or 1;

    public override string LabelRule(int outputCount) => "binary classification needs labels 0 or 1";

    public override int Strata(int outputCount) => 2;

    /// <summary>The entropy −[p log p + (1 − p) log(1 − p)] of the positive rate p: the loss of predicting p.</summary>
    public override double ConstantPredictionLoss(DataSet data, int outputCount)
    {
        double p = WeightedMean(data);
        return (p > 0 ? -p * Math.Log(p) : 0) + (p < 1 ? -(1 - p) * Math.Log(1 - p) : 0);
    }
}

namespace TinyNet;

/// <summary>
/// The output layer and loss of the network (notes P1, P4). Both heads are "matched pairs" whose output error
/// is δ2 = a2 − y (errata E9), so the same four boxed gradient formulas serve both.
/// </summary>
public enum Head
{
    /// <summary>
    /// Regression: identity output a2 = z2 (P1) with half squared error ℓ = ½ (y − a2)² per sample,
    /// the loss the boxed formulas of P2–P3 are the exact gradient of (errata E2).
    /// </summary>
    Regression = 0,

    /// <summary>
    /// Binary classification: sigmoid output a2 = σ(z2) (P1) with log-loss
    /// ℓ = −[y log a2 + (1 − y) log(1 − a2)] per sample (P5), labels 0 or 1.
    /// </summary>
    BinaryClassification = 1,
}

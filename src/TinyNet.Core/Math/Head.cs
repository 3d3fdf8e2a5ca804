namespace TinyNet;

/// <summary>
/// The output layer and loss of the network (notes P1, P4; docs/notes-multiclass.md M1). Every head is a "matched pair"
/// whose output error is δ2 = a2 − y (errata E9; M3 for the softmax), so the same four boxed gradient formulas serve all
/// three. Regression and binary classification have one output unit (K = 1); multiclass has K ≥ 2.
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

    /// <summary>
    /// Multiclass classification over K ≥ 2 classes (docs/notes-multiclass.md): K outputs z2 = W2 a1 + b2 (W2 is K × H),
    /// softmax output a2ₖ = e^(z2ₖ) / Σⱼ e^(z2ⱼ) with cross-entropy ℓ = −log a2_y per sample, labels 0 … K − 1 (one-hot y).
    /// </summary>
    MulticlassClassification = 2,
}

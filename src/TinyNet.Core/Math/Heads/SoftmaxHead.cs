using System.Numerics;

namespace TinyNet;

/// <summary>
/// Multiclass classification (<see cref="Head.MulticlassClassification"/>, docs/notes-multiclass.md): K ≥ 2 outputs
/// z2 = W2 a1 + b2, softmax output a2ₖ = e^(z2ₖ) / Σⱼ e^(z2ⱼ) (M1) with cross-entropy ℓ = −log a2_y (one-hot y); labels are
/// the classes 0 … K − 1.
/// </summary>
internal sealed class SoftmaxHead : OutputHead
{
    public override Head Tag => Head.MulticlassClassification;

    public override bool HasClasses => true;

    public override int DefaultOutputCount => 0;

    public override void CheckOutputCount(int outputCount, string paramName)
    {
        if (outputCount < 2)
        {
            throw new ArgumentOutOfRangeException(paramName, outputCount,
                $"The multiclass head needs K ≥ 2 classes (got {outputCount}); pass the number of classes as classCount. " +
                "For two classes BinaryClassification is the same model with one output (docs/notes-multiclass.md M5).");
        }
    }

    public override void Output(ReadOnlySpan<double> z2, Span<double> a2) => Activations.Softmax(z2, a2);

    public override double Loss(double y, ReadOnlySpan<double> z2) => Losses.CrossEntropyFromLogits((int)y, z2);

    public override void Delta2(double y, ReadOnlySpan<double> a2, Span<double> delta2) => Backprop.Delta2(a2, (int)y, delta2);

    /// <summary>A class number 0 … K − 1: a whole number below K and below 2²⁴ (a float label holds it exactly).</summary>
    public override bool IsLabel(double y, int outputCount) => y >= 0 && y < outputCount && y == Math.Floor(y) && y < 1 << 24;

    public override string LabelRule(int outputCount) =>
        "multiclass classification needs class numbers " + (outputCount == int.MaxValue ? "0, 1, 2, …" : $"0 … {outputCount - 1} (K = {outputCount})");

    public override int OutputsNeeded(DataSet data, string name)
    {
        CheckLabels(data, int.MaxValue, name);
        int largest = 0;
        foreach (float y in data.Labels.Span)
        {
            largest = Math.Max(largest, (int)y);
        }

        return largest + 1;
    }

    public override int OutputCountFor(DataSet train, string name)
    {
        int k = OutputsNeeded(train, name);
        if (k < 2)
        {
            throw new ArgumentException(
                $"{name}: every label is 0, so there is only one class; the multiclass head needs at least two (labels 0 … K − 1).", name);
        }

        return k;
    }

    public override int Strata(int outputCount) => Math.Max(outputCount, 2);

    /// <summary>The entropy −Σₖ pₖ log pₖ of the (weighted) class frequencies: the loss of predicting them.</summary>
    public override double ConstantPredictionLoss(DataSet data, int outputCount)
    {
        ReadOnlySpan<float> y = data.Labels.Span;
        ReadOnlySpan<float> s = data.Weights is { } w ? w.Span : default;
        double total = data.WeightSum;
        var frequency = new double[outputCount];
        for (int i = 0; i < y.Length; i++)
        {
            frequency[(int)y[i]] += s.IsEmpty ? 1.0 : s[i];
        }

        double entropy = 0;
        foreach (double f in frequency)
        {
            entropy -= f > 0 ? f / total * Math.Log(f / total) : 0;
        }

        return entropy;
    }

    /// <summary>
    /// Per row a2 = softmax(z2) and ℓ = (m − z2_y) + log1p(Σ_{k ≠ top} e^(z2ₖ − m)) with m = z2_top the largest logit
    /// (nothing overflows, log never sees 0, no cancellation: <see cref="Losses.CrossEntropyFromLogits"/>), and
    /// δ2 = s (a2 − y) / Σ s written over z2 (M3); ∂J/∂b2 += Σ δ2. The exponentials of the whole chunk run in one
    /// vectorised pass.
    /// </summary>
    public override double Delta2(in OutputChunk chunk)
    {
        Span<float> z = chunk.Z2;
        int k = chunk.OutputCount, kr = chunk.Stride;
        for (int b = 0; b < chunk.Count; b++)
        {
            Span<float> z2 = z.Slice(b * kr, k);
            float m = z2[0];
            int top = 0;
            for (int j = 1; j < k; j++)
            {
                if (z2[j] > m)
                {
                    m = z2[j];
                    top = j;
                }
            }

            chunk.Top[b] = top;
            for (int j = 0; j < k; j++)
            {
                z2[j] -= m;                                                 // z2 − max z2 ≤ 0
            }

            chunk.Logit[b] = z2[(int)chunk.Labels[chunk.RowIndex[b]]];     // z2_y − m, kept for the loss
        }

        chunk.Kernels.Exp(z[..(chunk.Rows * kr)]);                          // e^(z2 − m), every row at once
        double lossSum = 0;
        for (int b = 0; b < chunk.Count; b++)
        {
            int row = chunk.RowIndex[b];
            Span<float> e = z.Slice(b * kr, k);
            int y = (int)chunk.Labels[row];
            float s = chunk.Weights.IsEmpty ? 1f : chunk.Weights[row];
            float sum = 0;
            double others = 0;
            for (int j = 0; j < k; j++)
            {
                sum += e[j];
                others += j == chunk.Top[b] ? 0.0 : e[j];
            }

            lossSum += s * (Losses.Log1P(others) - chunk.Logit[b]);       // ℓ = (m − z2_y) + log1p(Σ_{k ≠ top} e^(z2ₖ − m))
            float scale = s * chunk.InvN / sum;
            for (int j = 0; j < k; j++)
            {
                float delta2 = e[j] * scale - (j == y ? s * chunk.InvN : 0f);   // δ2 = s (a2 − y) / Σ s
                e[j] = delta2;
                chunk.Db2[j] += delta2;                                     // ∂J/∂b2 = Σ δ2
            }

            z.Slice(b * kr + k, kr - k).Clear();                            // the padding columns of Δ2 stay 0
        }

        z[(chunk.Count * kr)..(chunk.Rows * kr)].Clear();                   // padding rows contribute nothing
        return lossSum;
    }

    /// <summary>The index of the largest of K values (the first on a tie), or −1 when none is a number: the predicted class.</summary>
    public static int PredictedClass<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        int best = -1;
        T max = T.NegativeInfinity;
        for (int k = 0; k < values.Length; k++)
        {
            if (values[k] > max || (best < 0 && values[k] == max))
            {
                best = k;
                max = values[k];
            }
        }

        return best;
    }

    /// <summary>softmax of each row of K logits in place, with the max subtracted (<see cref="Activations.Softmax"/>), in float.</summary>
    public override void Output(Span<float> z2, int outputCount)
    {
        for (int i = 0; i < z2.Length; i += outputCount)
        {
            Activations.Softmax<float>(z2.Slice(i, outputCount), z2.Slice(i, outputCount));
        }
    }
}

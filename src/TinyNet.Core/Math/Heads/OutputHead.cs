namespace TinyNet;

/// <summary>
/// One output layer and its loss, as one object: everything that differs between the three heads of <see cref="Head"/>
/// lives in its subclass (<see cref="RegressionHead"/>, <see cref="BinaryHead"/>, <see cref="SoftmaxHead"/>), so the
/// network, both engines, the trainer and the scorer run one path for every head. <see cref="Head"/> is the head's tag
/// (what options name and model files store); <see cref="For"/> turns a tag into its head.
/// <para>
/// Every head is a matched pair of output activation and loss whose output error is δ2 = ∂ℓ/∂z2 = a2 − y (errata E9;
/// docs/notes-multiclass.md M3), so the four boxed gradient formulas downstream of δ2 are the same for all.
/// </para>
/// </summary>
internal abstract class OutputHead
{
    /// <summary>The head of a tag.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tag is not one of <see cref="Head"/>'s values.</exception>
    public static OutputHead For(Head tag, string paramName = "head") => (uint)tag < (uint)Heads.Length
        ? Heads[(int)tag]
        : throw new ArgumentOutOfRangeException(paramName, tag, "Head must be Regression, BinaryClassification or MulticlassClassification.");

    /// <summary>One instance of each head (they hold no state), indexed by tag.</summary>
    private static readonly OutputHead[] Heads = [new RegressionHead(), new BinaryHead(), new SoftmaxHead()];

    /// <summary>The tag options name and model files store.</summary>
    public abstract Head Tag { get; }

    /// <summary>True when the outputs are the probabilities of K ≥ 2 named classes (PredictProbabilities, PredictClass).</summary>
    public virtual bool HasClasses => false;

    /// <summary>K when no class count is given: 1 for the one-output heads; 0 (refused by <see cref="CheckOutputCount"/>) for classes.</summary>
    public virtual int DefaultOutputCount => 1;

    /// <summary>Refuses a number of output units K this head cannot have, naming <paramref name="paramName"/>.</summary>
    public virtual void CheckOutputCount(int outputCount, string paramName)
    {
        if (outputCount != 1)
        {
            throw new ArgumentOutOfRangeException(paramName, outputCount,
                $"The {Tag} head has one output; classCount must be 1 (got {outputCount}). Use MulticlassClassification for K classes.");
        }
    }

    /// <summary>The output a2 = f(z2) of one row's K logits (P1; M1), in double.</summary>
    public abstract void Output(ReadOnlySpan<double> z2, Span<double> a2);

    /// <summary>The loss ℓ(y, z2) of one row from its K logits, in double, without forming a2 (never log 0, never overflows).</summary>
    public abstract double Loss(double y, ReadOnlySpan<double> z2);

    /// <summary>The output error δ2 = ∂ℓ/∂z2 = a2 − y of one row (P2, P6; M3), y one-hot for classes.</summary>
    public abstract void Delta2(double y, ReadOnlySpan<double> a2, Span<double> delta2);

    /// <summary>True when <paramref name="y"/> is a label this head trains on, with K = <paramref name="outputCount"/> outputs.</summary>
    public virtual bool IsLabel(double y, int outputCount) => true;

    /// <summary>The labels this head needs, as the end of an error message ("labels 0 or 1").</summary>
    public virtual string LabelRule(int outputCount) => "numbers";

    /// <summary>
    /// K for a network trained on <paramref name="train"/> from scratch: 1 for one output; for classes the largest label + 1,
    /// after checking every label (refused, naming <paramref name="name"/>, when there is only one class).
    /// </summary>
    public virtual int OutputCountFor(DataSet train, string name) => 1;

    /// <summary>The outputs <paramref name="data"/>'s labels need: 1 for one output; for classes the largest label + 1, after checking every label.</summary>
    public virtual int OutputsNeeded(DataSet data, string name) => 1;

    /// <summary>
    /// Refuses a data set whose labels this head cannot train on, naming the set and the first wrong row.
    /// </summary>
    public void CheckLabels(DataSet data, int outputCount, string name)
    {
        ReadOnlySpan<float> labels = data.Labels.Span;
        for (int i = 0; i < labels.Length; i++)
        {
            if (!IsLabel(labels[i], outputCount))
            {
                throw new ArgumentException($"{name}: label of row {i} is {labels[i]}; {LabelRule(outputCount)}.", name);
            }
        }
    }

    /// <summary>The classes a hold-out is stratified by (2 for binary), or 0 not to stratify.</summary>
    public virtual int Strata(int outputCount) => 0;

    /// <summary>The mean loss of the best constant prediction on <paramref name="data"/> (the divergence rule's baseline).</summary>
    public abstract double ConstantPredictionLoss(DataSet data, int outputCount);

    /// <summary>
    /// The fast engine's output layer over one chunk: from each row's logits in <see cref="OutputChunk.Z2"/> (row stride
    /// Kr) the weighted loss, and in their place δ2 = s (a2 − y) / Σ s with the padding rows and columns zero;
    /// ∂J/∂b2 += Σ δ2. Float32, the forms of the double <see cref="Loss"/>. Returns Σ s ℓ over the chunk's rows.
    /// </summary>
    public abstract double Delta2(in OutputChunk chunk);

    /// <summary>The outputs a2 of rows of K logits, in place (float32 scoring; K = 1: one value per row).</summary>
    public abstract void Output(Span<float> z2, int outputCount);

    /// <summary>The weighted mean of the labels, Σ sᵢ yᵢ / Σ sᵢ: the best constant prediction of both one-output heads.</summary>
    protected static double WeightedMean(DataSet data)
    {
        ReadOnlySpan<float> y = data.Labels.Span;
        ReadOnlySpan<float> s = data.Weights is { } w ? w.Span : default;
        double mean = 0;
        for (int i = 0; i < y.Length; i++)
        {
            mean += (s.IsEmpty ? 1.0 : s[i]) * y[i];
        }

        return mean / data.WeightSum;
    }
}

/// <summary>
/// One chunk of the fast engine's rows at its output layer (see <see cref="OutputHead.Delta2(in OutputChunk)"/>): the
/// logits to turn into δ2, the chunk's rows of the data set, the batch's 1 / Σ s, the b2 gradient and scratch.
/// </summary>
internal readonly ref struct OutputChunk(
    Span<float> z2, int stride, int outputCount, int count, int rows, ReadOnlySpan<int> rowIndex, DataSet data, float invN,
    Span<float> db2, Span<float> logit, Span<int> top, Kernels kernels)
{
    /// <summary>rows × <see cref="Stride"/> values: the logits in, δ2 out.</summary>
    public readonly Span<float> Z2 = z2;

    /// <summary>Kr, the row stride of <see cref="Z2"/> (1 for one output).</summary>
    public readonly int Stride = stride;

    /// <summary>K.</summary>
    public readonly int OutputCount = outputCount;

    /// <summary>The chunk's real rows; the rest up to <see cref="Rows"/> are padding.</summary>
    public readonly int Count = count;

    /// <summary>The chunk's rows rounded up to the row tile.</summary>
    public readonly int Rows = rows;

    /// <summary>The data set's row of each of the chunk's <see cref="Count"/> rows.</summary>
    public readonly ReadOnlySpan<int> RowIndex = rowIndex;

    /// <summary>The labels of the data set's rows.</summary>
    public readonly ReadOnlySpan<float> Labels = data.Labels.Span;

    /// <summary>The weights of the data set's rows, or empty for all 1.</summary>
    public readonly ReadOnlySpan<float> Weights = data.Weights is { } w ? w.Span : default;

    /// <summary>1 / Σ s over the batch.</summary>
    public readonly float InvN = invN;

    /// <summary>∂J/∂b2, K values, added to.</summary>
    public readonly Span<float> Db2 = db2;

    /// <summary>Scratch of one float per row (classes: z2_y − max).</summary>
    public readonly Span<float> Logit = logit;

    /// <summary>Scratch of one int per row (classes: the largest logit's index).</summary>
    public readonly Span<int> Top = top;

    /// <summary>The kernels of the engine's width (classes: the chunk's exponentials in one pass).</summary>
    public readonly Kernels Kernels = kernels;
}

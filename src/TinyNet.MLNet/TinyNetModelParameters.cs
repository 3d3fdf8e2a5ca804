namespace TinyNet.MLNet;

/// <summary>
/// The trained network inside a <see cref="TinyNetPredictionTransformer"/>, with read-only views of its parameters in the
/// notes' names: w1 (H × D, row-major), b1 (H), w2 (K × H), b2 (K); K = 1 for regression and binary classification.
/// </summary>
public sealed class TinyNetModelParameters
{
    internal TinyNetModelParameters(Network network, TrainingHistory? history, ClassLabels? classes = null)
    {
        Network = network;
        History = history;
        Classes = TinyNetTask.For(network.Head).HasClasses ? classes ?? ClassLabels.Unnamed(network.OutputCount) : null;
    }

    /// <summary>The output layer and loss.</summary>
    public Head Head => Network.Head;

    /// <summary>D, the number of inputs (the length of the feature vector).</summary>
    public int InputCount => Network.InputCount;

    /// <summary>H, the number of hidden units.</summary>
    public int HiddenCount => Network.HiddenCount;

    /// <summary>w1, H × D, row-major: w1[h, d] is <c>W1.Span[h * D + d]</c>.</summary>
    public ReadOnlyMemory<double> W1 => Network.W1;

    /// <summary>b1 (H values).</summary>
    public ReadOnlyMemory<double> B1 => Network.B1;

    /// <summary>K, the number of outputs: the classes of a multiclass model, 1 otherwise.</summary>
    public int OutputCount => Network.OutputCount;

    /// <summary>
    /// Multiclass: the class names in output order (the training label's key values as text; "0", "1", … when it had
    /// none). Empty for the other heads.
    /// </summary>
    public IReadOnlyList<string> ClassNames => Classes?.Names ?? [];

    /// <summary>w2, K × H, row-major: w2[k, h] is <c>W2.Span[k * H + h]</c> (K = 1: H values).</summary>
    public ReadOnlyMemory<double> W2 => Network.W2;

    /// <summary>b2 (K values; the one-output heads' b2 is <c>B2.Span[0]</c>).</summary>
    public ReadOnlyMemory<double> B2 => Network.B2;

    /// <summary>
    /// Loss per epoch (and validation loss, when <c>Fit(train, validation)</c> was used), as trained: for regression with
    /// <see cref="TinyNetRegressionTrainer.Options.StandardizeLabel"/> these are losses of the standardised label. Null after loading
    /// a model saved without history.
    /// </summary>
    public TrainingHistory? History { get; }

    /// <summary>A copy of the network, for use with TinyNet.Core (prediction, gradient checks).</summary>
    public Network ToNetwork() => Network.Clone();

    internal Network Network { get; }

    /// <summary>Multiclass: the classes (key values) the model predicts; null for the other heads.</summary>
    internal ClassLabels? Classes { get; }

    /// <summary>
    /// The float32 SIMD scorer of <see cref="Network"/>, created once; each cursor and row mapper scores through its own
    /// <see cref="TinyNet.Scorer.Clone"/> (shared parameters, own buffers).
    /// </summary>
    internal Scorer Scorer => field ??= Network.CreateScorer();
}

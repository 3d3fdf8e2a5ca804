namespace TinyNet.MLNet;

/// <summary>
/// The trained network inside a <see cref="TinyNetPredictionTransformer"/>, with read-only views of its parameters in the
/// notes' names: w1 (H × D, row-major), b1 (H), w2 (H), b2.
/// </summary>
public sealed class TinyNetModelParameters
{
    internal TinyNetModelParameters(Network network, TrainingHistory? history)
    {
        Network = network;
        History = history;
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

    /// <summary>w2 (H values).</summary>
    public ReadOnlyMemory<double> W2 => Network.W2;

    /// <summary>b2.</summary>
    public double B2 => Network.B2[0];

    /// <summary>
    /// Loss per epoch (and validation loss, when <c>Fit(train, validation)</c> was used), as trained: for regression with
    /// <see cref="TinyNetRegressionTrainer.Options.StandardizeLabel"/> these are losses of the standardised label. Null after loading
    /// a model saved without history.
    /// </summary>
    public TrainingHistory? History { get; }

    /// <summary>A copy of the network, for use with TinyNet.Core (prediction, gradient checks).</summary>
    public Network ToNetwork() => Network.Clone();

    internal Network Network { get; }

    /// <summary>
    /// The float32 SIMD scorer of <see cref="Network"/>, created once; each cursor and row mapper scores through its own
    /// <see cref="TinyNet.Scorer.Clone"/> (shared parameters, own buffers).
    /// </summary>
    internal Scorer Scorer => field ??= Network.CreateScorer();
}

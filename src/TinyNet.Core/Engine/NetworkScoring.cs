namespace TinyNet;

/// <summary>
/// The float32 scoring of a <see cref="Network"/>, through the fast engine's SIMD kernels: <c>network.CreateScorer()</c>
/// and the batched float <c>network.Predict(features, output)</c>. Extension methods, so that <see cref="Network"/> — the
/// double-precision network of the notes, the oracle the tests compare with — holds no float machinery.
/// </summary>
public static class NetworkScoring
{
    /// <summary>
    /// A float32 <see cref="Scorer"/> of <paramref name="network"/>'s current parameters: the fast way to score many rows.
    /// Not thread-safe: one per thread (<see cref="Scorer.Clone"/>).
    /// </summary>
    public static Scorer CreateScorer(this Network network) => new(network);

    /// <summary>
    /// Batched float32 scoring: <paramref name="features"/> holds rows of D values back to back; writes a2 for each row
    /// into <paramref name="output"/>, through a new <see cref="Scorer"/> (for repeated calls, create one with
    /// <see cref="CreateScorer"/> and reuse it).
    /// </summary>
    public static void Predict(this Network network, ReadOnlySpan<float> features, Span<float> output) => network.CreateScorer().Predict(features, output);
}

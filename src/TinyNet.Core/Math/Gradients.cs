namespace TinyNet;

/// <summary>
/// ∂L/∂w1, ∂L/∂b1, ∂L/∂w2 and ∂L/∂b2: one value per parameter of a <see cref="Network"/>, in the same layout
/// (<see cref="W1"/> is H × D and <see cref="W2"/> K × H, row-major).
/// </summary>
public sealed class Gradients
{
    /// <summary>Zero gradients shaped like a one-output network with D inputs and H hidden units.</summary>
    public Gradients(int inputCount, int hiddenCount)
        : this(inputCount, hiddenCount, 1)
    {
    }

    /// <summary>Zero gradients shaped like a network with D inputs, H hidden units and K outputs.</summary>
    public Gradients(int inputCount, int hiddenCount, int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        W1 = new double[hiddenCount * inputCount];
        B1 = new double[hiddenCount];
        W2 = new double[outputCount * hiddenCount];
        B2 = new double[outputCount];
    }

    /// <summary>Zero gradients shaped like <paramref name="network"/>.</summary>
    public static Gradients For(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new Gradients(network.InputCount, network.HiddenCount, network.OutputCount);
    }

    /// <summary>D.</summary>
    public int InputCount => W1.Length / B1.Length;

    /// <summary>H.</summary>
    public int HiddenCount => B1.Length;

    /// <summary>K.</summary>
    public int OutputCount => B2.Length;

    /// <summary>∂L/∂w1 (H × D, row-major).</summary>
    public double[] W1 { get; }

    /// <summary>∂L/∂b1 (H).</summary>
    public double[] B1 { get; }

    /// <summary>∂L/∂w2 (K × H, row-major; K = 1: H values).</summary>
    public double[] W2 { get; }

    /// <summary>∂L/∂b2 (K values).</summary>
    public double[] B2 { get; }

    /// <summary>True if shaped like <paramref name="network"/>.</summary>
    internal bool Fits(Network network) =>
        InputCount == network.InputCount && HiddenCount == network.HiddenCount && OutputCount == network.OutputCount;

    /// <summary>"D = 3, H = 4" (and ", K = 5" for more than one output).</summary>
    internal static string Shape(int d, int h, int k) => k == 1 ? $"D = {d}, H = {h}" : $"D = {d}, H = {h}, K = {k}";

    /// <summary>Sets every value to zero.</summary>
    public void Clear()
    {
        Array.Clear(W1);
        Array.Clear(B1);
        Array.Clear(W2);
        Array.Clear(B2);
    }
}

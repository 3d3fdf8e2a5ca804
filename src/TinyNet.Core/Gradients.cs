namespace TinyNet;

/// <summary>
/// ∂L/∂w1, ∂L/∂b1, ∂L/∂w2 and ∂L/∂b2: one value per parameter of a <see cref="Network"/>, in the same layout
/// (<see cref="W1"/> is H × D, row-major).
/// </summary>
public sealed class Gradients
{
    /// <summary>Zero gradients shaped like a network with D inputs and H hidden units.</summary>
    public Gradients(int inputCount, int hiddenCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenCount, 1);
        InputCount = inputCount;
        HiddenCount = hiddenCount;
        W1 = new double[hiddenCount * inputCount];
        B1 = new double[hiddenCount];
        W2 = new double[hiddenCount];
    }

    /// <summary>D.</summary>
    public int InputCount { get; }

    /// <summary>H.</summary>
    public int HiddenCount { get; }

    /// <summary>∂L/∂w1 (H × D, row-major).</summary>
    public double[] W1 { get; }

    /// <summary>∂L/∂b1 (H).</summary>
    public double[] B1 { get; }

    /// <summary>∂L/∂w2 (H).</summary>
    public double[] W2 { get; }

    /// <summary>∂L/∂b2.</summary>
    public double B2 { get; set; }

    /// <summary>Sets every value to zero.</summary>
    public void Clear()
    {
        Array.Clear(W1);
        Array.Clear(B1);
        Array.Clear(W2);
        B2 = 0;
    }
}

namespace TinyNet;

/// <summary>
/// Where the fast engine keeps each parameter: one flat float vector θ = [w1ᵀ (Dp × Hp) | b1 (Hp) | w2 (Hp) | b2 (16)],
/// w1 stored transposed so that both big products run with whole vectors along the hidden units. H is padded to a
/// multiple of 16 (one Vector512, and so a whole number of vectors of every narrower width) and D to a multiple of 4
/// (the register tile's rows); padding is held at zero. Gradients use the same layout. The one place that converts
/// between this layout and the notes' (<see cref="Network"/>, <see cref="Gradients"/>).
/// </summary>
internal sealed class ParameterLayout
{
    /// <summary>The padding of H: floats per Vector512, a multiple of every width's lane count.</summary>
    public const int Lanes = 16;

    /// <summary>Rows per register tile, and the padding of D.</summary>
    public const int RowTile = 4;

    public ParameterLayout(int d, int h)
    {
        Sizes.CheckArray(CountFor(d, h), sizeof(float), $"The fast engine's parameter vector for D = {d}, H = {h} (padded)", "initial");
        D = d;
        H = h;
        Dp = RoundUp(d, RowTile);
        Hp = RoundUp(h, Lanes);
        OB1 = Dp * Hp;
        OW2 = OB1 + Hp;
        OB2 = OW2 + Hp;
        Count = OB2 + Lanes;
    }

    public int D { get; }

    public int H { get; }

    /// <summary>D padded to a multiple of <see cref="RowTile"/>.</summary>
    public int Dp { get; }

    /// <summary>H padded to a multiple of <see cref="Lanes"/>.</summary>
    public int Hp { get; }

    /// <summary>Offsets of b1, w2 and b2 in θ (w1ᵀ starts at 0).</summary>
    public int OB1 { get; }

    public int OW2 { get; }

    public int OB2 { get; }

    /// <summary>The length of θ.</summary>
    public int Count { get; }

    /// <summary>Writes the network's parameters into θ (w1 transposed, rounded to float).</summary>
    public void Write(Network network, Span<float> theta)
    {
        for (int h = 0; h < H; h++)
        {
            for (int j = 0; j < D; j++)
            {
                theta[j * Hp + h] = (float)network.W1[h * D + j];
            }

            theta[OB1 + h] = (float)network.B1[h];
            theta[OW2 + h] = (float)network.W2[h];
        }

        theta[OB2] = (float)network.B2;
    }

    /// <summary>Reads θ into the network.</summary>
    public void Read(ReadOnlySpan<float> theta, Network network) => network.B2 = Read(theta, network.W1, network.B1, network.W2);

    /// <summary>Reads a gradient in this layout into the notes' layout.</summary>
    public Gradients ReadGradient(ReadOnlySpan<float> grad)
    {
        var g = new Gradients(D, H);
        g.B2 = Read(grad, g.W1, g.B1, g.W2);
        return g;
    }

    /// <summary>The length of θ for D inputs and H hidden units, computed without overflow (before anything is allocated).</summary>
    public static double CountFor(int d, int h) => (double)RoundUp(d, RowTile) * RoundUp(h, Lanes) + 2.0 * RoundUp(h, Lanes) + Lanes;

    public static int RoundUp(int value, int multiple) => (int)Math.Min(((long)value + multiple - 1) / multiple * multiple, int.MaxValue);

    private double Read(ReadOnlySpan<float> flat, double[] w1, double[] b1, double[] w2)
    {
        for (int h = 0; h < H; h++)
        {
            for (int j = 0; j < D; j++)
            {
                w1[h * D + j] = flat[j * Hp + h];
            }

            b1[h] = flat[OB1 + h];
            w2[h] = flat[OW2 + h];
        }

        return flat[OB2];
    }
}

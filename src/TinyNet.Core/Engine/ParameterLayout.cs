namespace TinyNet;

/// <summary>
/// Where the fast engine keeps each parameter: one flat float vector
/// θ = [w1ᵀ (Dp × Hp) | b1 (Hp) | w2 (Kr × Hp) | b2 (Kp)], w1 stored transposed so that both big products run with whole
/// vectors along the hidden units, and w2 one row of Hp per output; for K &gt; 1 its rows are padded to Kr, a multiple of the
/// row tile, so that the multiclass products run on the same register tiles. H and K are padded to multiples of 16 (one Vector512,
/// and so a whole number of vectors of every narrower width) and D to a multiple of 4 (the register tile's rows); padding
/// is held at zero. With K = 1 (regression, binary) this is [w1ᵀ | b1 | w2 | b2 (16)]. Gradients use the same layout. The
/// one place that converts between this layout and the notes' (<see cref="Network"/>, <see cref="Gradients"/>).
/// </summary>
internal sealed class ParameterLayout
{
    /// <summary>The padding of H: floats per Vector512, a multiple of every width's lane count.</summary>
    public const int Lanes = 16;

    /// <summary>Rows per register tile, and the padding of D.</summary>
    public const int RowTile = 4;

    public ParameterLayout(int d, int h, int k = 1)
    {
        Sizes.CheckArray(CountFor(d, h, k), sizeof(float), $"The fast engine's parameter vector for D = {d}, H = {h}, K = {k} (padded)", "initial");
        D = d;
        H = h;
        K = k;
        Dp = RoundUp(d, RowTile);
        Hp = RoundUp(h, Lanes);
        OB1 = Dp * Hp;
        OW2 = OB1 + Hp;
        Kr = k == 1 ? 1 : RoundUp(k, RowTile);
        Kz = k == 1 ? 1 : RoundUp(k, Lanes);
        OB2 = OW2 + Kr * Hp;
        Count = OB2 + RoundUp(k, Lanes);
    }

    /// <summary>The layout of <paramref name="network"/>'s parameters.</summary>
    public static ParameterLayout Of(Network network) => new(network.InputCount, network.HiddenCount, network.OutputCount);

    public int D { get; }

    public int H { get; }

    /// <summary>K, the output units.</summary>
    public int K { get; }

    /// <summary>The rows of w2 in θ, and the stride of the engine's δ2 rows: 1 for K = 1, else K padded to the row tile.</summary>
    public int Kr { get; }

    /// <summary>K padded to a multiple of <see cref="Lanes"/> (1 for K = 1): the columns of W2ᵀ, for the logits' tiled product.</summary>
    public int Kz { get; }

    /// <summary>D padded to a multiple of <see cref="RowTile"/>.</summary>
    public int Dp { get; }

    /// <summary>H padded to a multiple of <see cref="Lanes"/>.</summary>
    public int Hp { get; }

    /// <summary>Offsets of b1, w2 (row k at OW2 + k·Hp) and b2 in θ (w1ᵀ starts at 0).</summary>
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
        }

        for (int k = 0; k < K; k++)
        {
            for (int h = 0; h < H; h++)
            {
                theta[OW2 + k * Hp + h] = (float)network.W2[k * H + h];
            }

            theta[OB2 + k] = (float)network.B2[k];
        }
    }

    /// <summary>
    /// K &gt; 1: W2ᵀ (Hp × Kz) and b2 (Kz) from θ, the weights and bias of the logits' tiled product Z2 = A W2ᵀ + b2
    /// (<see cref="Kernels.Logits"/>). Entries beyond K and H stay as they are (zero when the buffers are new).
    /// </summary>
    public void TransposeW2(ReadOnlySpan<float> theta, Span<float> w2t, Span<float> b2)
    {
        for (int k = 0; k < K; k++)
        {
            for (int h = 0; h < H; h++)
            {
                w2t[h * Kz + k] = theta[OW2 + k * Hp + h];
            }

            b2[k] = theta[OB2 + k];
        }
    }

    /// <summary>Reads θ into the network.</summary>
    public void Read(ReadOnlySpan<float> theta, Network network) => Read(theta, network.W1, network.B1, network.W2, network.B2);

    /// <summary>Reads a gradient in this layout into the notes' layout.</summary>
    public Gradients ReadGradient(ReadOnlySpan<float> grad)
    {
        var g = new Gradients(D, H, K);
        Read(grad, g.W1, g.B1, g.W2, g.B2);
        return g;
    }

    /// <summary>The length of θ for D inputs, H hidden units and K outputs, computed without overflow (before anything is allocated).</summary>
    public static double CountFor(int d, int h, int k = 1) =>
        (double)RoundUp(d, RowTile) * RoundUp(h, Lanes) + (1.0 + (k == 1 ? 1 : RoundUp(k, RowTile))) * RoundUp(h, Lanes) + RoundUp(k, Lanes);

    public static int RoundUp(int value, int multiple) => (int)Math.Min(((long)value + multiple - 1) / multiple * multiple, int.MaxValue);

    private void Read(ReadOnlySpan<float> flat, double[] w1, double[] b1, double[] w2, double[] b2)
    {
        for (int h = 0; h < H; h++)
        {
            for (int j = 0; j < D; j++)
            {
                w1[h * D + j] = flat[j * Hp + h];
            }

            b1[h] = flat[OB1 + h];
        }

        for (int k = 0; k < K; k++)
        {
            for (int h = 0; h < H; h++)
            {
                w2[k * H + h] = flat[OW2 + k * Hp + h];
            }

            b2[k] = flat[OB2 + k];
        }
    }
}

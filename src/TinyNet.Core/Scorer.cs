namespace TinyNet;

/// <summary>
/// Float32 scoring of a <see cref="Network"/> through the fast engine's SIMD kernels (the widest width this CPU
/// accelerates): the forward pass of P1, z1 = w1 · x + b1, a1 = σ(z1), z2 = w2 · a1 + b2, a2 = z2 or σ(z2). Scores equal
/// <see cref="Network.Predict(ReadOnlySpan{float})"/>, the double reference, within float rounding.
/// <para>
/// Made by <see cref="Network.CreateScorer"/>, it holds a float copy of the parameters taken at that moment (later changes
/// to the network are not seen) and its own buffers: allocation-free per call, and not thread-safe. Give each thread its
/// own with <see cref="Clone"/>, which shares the parameters.
/// </para>
/// </summary>
public sealed class Scorer
{
    private const int ChunkRows = 256;
    private readonly ParameterLayout _layout;
    private readonly float[] _theta;
    private readonly Kernels _kernels;
    private readonly float[] _a;
    private float[]? _x, _batchA, _z2;

    internal Scorer(Network network)
        : this(network, Kernels.Best)
    {
    }

    /// <summary>A scorer on given kernels (tests check every width on any machine this way).</summary>
    internal Scorer(Network network, Kernels kernels)
        : this(network.Head, new ParameterLayout(network.InputCount, network.HiddenCount), null, kernels)
    {
        _layout.Write(network, _theta);
    }

    private Scorer(Head head, ParameterLayout layout, float[]? theta, Kernels kernels)
    {
        Head = head;
        _layout = layout;
        _theta = theta ?? new float[layout.Count];
        _kernels = kernels;
        _a = new float[layout.Hp];
    }

    /// <summary>D, the number of inputs.</summary>
    public int InputCount => _layout.D;

    /// <summary>The output layer.</summary>
    public Head Head { get; }

    /// <summary>The vector width the kernels run at: "Vector512", "Vector256", "Vector128" or "Scalar".</summary>
    public string VectorWidth => _kernels.Width;

    /// <summary>A scorer with the same parameters (shared, read-only) and its own buffers, for another thread.</summary>
    public Scorer Clone() => new(Head, _layout, _theta, _kernels);

    /// <summary>The logit z2 of one row of D features (the Score of a binary model, the prediction of a regression model).</summary>
    public float Logit(ReadOnlySpan<float> x)
    {
        CheckRow(x.Length, nameof(x));
        return _kernels.ForwardRow(_layout, _theta, x, _a);
    }

    /// <summary>The output a2 of one row: the predicted value (regression) or the probability of the positive class (binary).</summary>
    public float Predict(ReadOnlySpan<float> x) => Output(Logit(x));

    /// <summary>
    /// z2 for many rows: <paramref name="rows"/> holds rows of D features back to back; one logit per row goes to
    /// <paramref name="logits"/>. Rows are scored in blocks of 256 through the 4-row register tiles of training.
    /// </summary>
    public void Logits(ReadOnlySpan<float> rows, Span<float> logits)
    {
        int d = _layout.D, dp = _layout.Dp;
        if (rows.Length != (long)logits.Length * d)
        {
            throw new ArgumentException(
                $"rows holds {rows.Length} values but logits has room for {logits.Length} rows of D = {d}; rows must hold exactly logits.Length × D = {(long)logits.Length * d} values.",
                nameof(rows));
        }

        _x ??= new float[(ChunkRows + ParameterLayout.RowTile) * dp];
        _batchA ??= new float[(ChunkRows + ParameterLayout.RowTile) * _layout.Hp];
        _z2 ??= new float[ChunkRows + ParameterLayout.RowTile];
        for (int start = 0; start < logits.Length; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, logits.Length - start);
            for (int b = 0; b < count; b++)
            {
                rows.Slice((start + b) * d, d).CopyTo(_x.AsSpan(b * dp, d));
            }

            _kernels.Forward(_layout, _theta, _x, _batchA, _z2, ParameterLayout.RoundUp(count, ParameterLayout.RowTile));
            _z2.AsSpan(0, count).CopyTo(logits.Slice(start, count));
        }
    }

    /// <summary>a2 for many rows (see <see cref="Logits"/>).</summary>
    public void Predict(ReadOnlySpan<float> rows, Span<float> outputs)
    {
        Logits(rows, outputs);
        if (Head == Head.BinaryClassification)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                outputs[i] = Output(outputs[i]);
            }
        }
    }

    private float Output(float z2) => Head == Head.Regression ? z2 : (float)Activations.Sigmoid(z2);

    private void CheckRow(int length, string paramName)
    {
        if (length != _layout.D)
        {
            throw new ArgumentException(
                $"x has {length} values but the network has D = {_layout.D} inputs; pass exactly {_layout.D} features.", paramName);
        }
    }
}

namespace TinyNet;

/// <summary>
/// Float32 scoring of a <see cref="Network"/> through the fast engine's SIMD kernels (the widest width this CPU
/// accelerates): the forward pass of P1, z1 = w1 · x + b1, a1 = σ(z1), z2 = w2 · a1 + b2, a2 = z2, σ(z2) or softmax(z2)
/// (K outputs, M1). Scores equal <see cref="Network.Predict(ReadOnlySpan{float})"/> and
/// <see cref="Network.PredictProbabilities"/>, the double reference, within float rounding.
/// <para>
/// Made by <see cref="NetworkScoring.CreateScorer"/> (<c>network.CreateScorer()</c>), it holds a float copy of the parameters taken at that moment (later changes
/// to the network are not seen) and its own buffers: allocation-free per call, and not thread-safe. Give each thread its
/// own with <see cref="Clone"/>, which shares the parameters.
/// </para>
/// </summary>
public sealed class Scorer
{
    private const int ChunkRows = 256;
    private readonly OutputHead _head;
    private readonly ParameterLayout _layout;
    private readonly float[] _theta;
    private readonly Kernels _kernels;
    private readonly float[] _a;
    private readonly float[] _rowZ2;
    private readonly float[] _w2t, _b2;     // K > 1: W2ᵀ and b2 for the batched logits' tiled product, shared by clones
    private float[]? _x, _batchA, _z2;

    internal Scorer(Network network)
        : this(network, Kernels.Best)
    {
    }

    /// <summary>A scorer on given kernels (tests check every width on any machine this way).</summary>
    internal Scorer(Network network, Kernels kernels)
        : this(network.OutputHead, ParameterLayout.Of(network), kernels, theta: null, w2t: null, b2: null)
    {
        _layout.Write(network, _theta);
        if (_layout.K > 1)
        {
            _layout.TransposeW2(_theta, _w2t, _b2);
        }
    }

    private Scorer(OutputHead head, ParameterLayout layout, Kernels kernels, float[]? theta, float[]? w2t, float[]? b2)
    {
        _head = head;
        _layout = layout;
        _theta = theta ?? new float[layout.Count];
        _w2t = w2t ?? new float[layout.K == 1 ? 0 : layout.Hp * layout.Kz];
        _b2 = b2 ?? new float[layout.K == 1 ? 0 : layout.Kz];
        _kernels = kernels;
        _a = new float[layout.Hp];
        _rowZ2 = new float[layout.K];
    }

    /// <summary>D, the number of inputs.</summary>
    public int InputCount => _layout.D;

    /// <summary>K, the number of outputs (1 for regression and binary classification, the classes for multiclass).</summary>
    public int OutputCount => _layout.K;

    /// <summary>The output layer.</summary>
    public Head Head => _head.Tag;

    /// <summary>The vector width the kernels run at: "Vector512", "Vector256", "Vector128" or "Scalar".</summary>
    public string VectorWidth => _kernels.Width;

    /// <summary>A scorer with the same parameters (shared, read-only) and its own buffers, for another thread.</summary>
    public Scorer Clone() => new(_head, _layout, _kernels, _theta, _w2t, _b2);

    /// <summary>
    /// The logit z2 of one row of D features of a one-output model (the Score of a binary model, the prediction of a
    /// regression model). For multiclass use <see cref="Logits(ReadOnlySpan{float}, Span{float})"/> with K values.
    /// </summary>
    public float Logit(ReadOnlySpan<float> x)
    {
        CheckRow(x.Length, nameof(x));
        if (_layout.K != 1)
        {
            throw new InvalidOperationException($"This model has K = {_layout.K} outputs (multiclass); use Logits or Probabilities with room for K values.");
        }

        _kernels.ForwardRow(_layout, _theta, x, _a, _rowZ2);
        return _rowZ2[0];
    }

    /// <summary>The output a2 of one row: the predicted value (regression) or the probability of the positive class (binary).</summary>
    public float Predict(ReadOnlySpan<float> x)
    {
        _rowZ2[0] = Logit(x);
        _head.Output(_rowZ2, 1);
        return _rowZ2[0];
    }

    /// <summary>
    /// Multiclass: the K class probabilities a2 = softmax(z2) of one row into <paramref name="probabilities"/> (K values,
    /// summing to 1; the max is subtracted before e^, so no logit overflows). Allocation-free.
    /// </summary>
    public void Probabilities(ReadOnlySpan<float> x, Span<float> probabilities)
    {
        CheckRow(x.Length, nameof(x));
        if (!_head.HasClasses || probabilities.Length != _layout.K)
        {
            throw new ArgumentException(
                !_head.HasClasses
                    ? $"Probabilities is for the multiclass head; this model's head is {Head}: use Predict."
                    : $"probabilities has room for {probabilities.Length} values; the model has K = {_layout.K} classes.",
                nameof(probabilities));
        }

        _kernels.ForwardRow(_layout, _theta, x, _a, probabilities);
        _head.Output(probabilities, _layout.K);
    }

    /// <summary>
    /// The class that K probabilities (or logits) predict: the index of the largest (the first on a tie), or −1 when none is
    /// a number (a NaN feature makes every output NaN): no class, never class 0 by default.
    /// </summary>
    public static int PredictedClass(ReadOnlySpan<float> probabilities) => SoftmaxHead.PredictedClass(probabilities);

    /// <summary>
    /// Logits for many rows: <paramref name="rows"/> holds N rows of D features back to back; the K logits of each row go to
    /// <paramref name="logits"/> (N·K values, row after row; K = 1 for regression and binary). Rows are scored in blocks of
    /// 256 through the 4-row register tiles of training.
    /// </summary>
    public void Logits(ReadOnlySpan<float> rows, Span<float> logits)
    {
        int d = _layout.D, dp = _layout.Dp, k = _layout.K;
        int n = logits.Length / k;
        if (logits.Length % k != 0 || rows.Length != (long)n * d)
        {
            throw new ArgumentException(
                $"rows holds {rows.Length} values but logits has room for {logits.Length} values, K = {k} per row of D = {d}; " +
                $"rows must hold exactly (logits.Length / K) × D = {(long)n * d} values and logits a multiple of K.",
                nameof(rows));
        }

        _x ??= new float[(ChunkRows + ParameterLayout.RowTile) * dp];
        _batchA ??= new float[(ChunkRows + ParameterLayout.RowTile) * _layout.Hp];
        _z2 ??= new float[(ChunkRows + ParameterLayout.RowTile) * _layout.Kz];
        for (int start = 0; start < n; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, n - start);
            for (int b = 0; b < count; b++)
            {
                rows.Slice((start + b) * d, d).CopyTo(_x.AsSpan(b * dp, d));
            }

            int padded = ParameterLayout.RoundUp(count, ParameterLayout.RowTile);
            _kernels.Forward(_layout, _theta, _x, _batchA, _z2, padded);
            if (k == 1)
            {
                _z2.AsSpan(0, count).CopyTo(logits.Slice(start, count));
            }
            else
            {
                _kernels.Logits(_layout, _batchA, _w2t, _b2, _z2, logits[(start * k)..], k, count, padded);
            }
        }
    }

    /// <summary>a2 for many rows (see <see cref="Logits"/>): K probabilities per row for multiclass.</summary>
    public void Predict(ReadOnlySpan<float> rows, Span<float> outputs)
    {
        Logits(rows, outputs);
        _head.Output(outputs, _layout.K);
    }

    private void CheckRow(int length, string paramName)
    {
        if (length != _layout.D)
        {
            throw new ArgumentException(
                $"x has {length} values but the network has D = {_layout.D} inputs; pass exactly {_layout.D} features.", paramName);
        }
    }
}

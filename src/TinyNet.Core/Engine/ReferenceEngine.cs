namespace TinyNet;

/// <summary>One step of training on a batch of rows, and the loss of a data set; implemented twice, by the
/// double reference and the float32 fast engine, and driven by <see cref="Trainer"/>.</summary>
internal interface IEngine : IDisposable
{
    /// <summary>
    /// One optimiser step on the given training rows, along the gradient of J = (Σ sᵢ ℓᵢ) / (Σ sᵢ) + (λ/2)‖w‖²; returns
    /// Σ sᵢ ℓᵢ of those rows before the step. Rows whose weights sum to 0 take no step and return 0.
    /// </summary>
    double Step(ReadOnlySpan<int> rows, double learningRate);

    /// <summary>Σ sᵢ ℓᵢ over <paramref name="data"/> at the current parameters.</summary>
    double LossSum(DataSet data);

    /// <summary>Writes the current parameters into <paramref name="network"/>.</summary>
    void CopyTo(Network network);
}

/// <summary>
/// The double-precision engine: gathers a batch, calls <see cref="Backprop.Objective(Network, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Gradients)"/>
/// and applies the update rule one parameter at a time. Slow and plain on purpose: it is the oracle.
/// </summary>
internal sealed class ReferenceEngine : IEngine
{
    private readonly Network _network;
    private readonly DataSet _train;
    private readonly TrainerOptions _options;
    private readonly UpdateRule _rule;
    private readonly Gradients _gradients;
    private readonly double[] _xBatch;
    private readonly double[] _yBatch;
    private readonly double[]? _sBatch;
    private readonly double[] _m;   // momentum velocity, or Adam's first moment; all parameters in order w1, b1, w2, b2
    private readonly double[] _v;   // Adam's second moment
    private long _step;

    public ReferenceEngine(Network initial, DataSet train, TrainerOptions options)
    {
        _network = initial.Clone();
        _train = train;
        _options = options;
        _rule = UpdateRule.For(options);
        _gradients = Gradients.For(initial);
        int batch = Math.Min(options.BatchSize, train.RowCount);
        _xBatch = new double[batch * train.ColumnCount];
        _yBatch = new double[batch];
        _sBatch = train.Weights is null ? null : new double[batch];
        int count = ParameterCount(initial);
        _m = new double[count];
        _v = new double[count];
    }

    public double Step(ReadOnlySpan<int> rows, double learningRate)
    {
        int d = _train.ColumnCount;
        int n = rows.Length;
        ReadOnlySpan<float> labels = _train.Labels.Span;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = _train.Row(rows[i]);
            for (int j = 0; j < d; j++)
            {
                _xBatch[i * d + j] = row[j];
            }

            _yBatch[i] = labels[rows[i]];
            if (_sBatch is not null)
            {
                _sBatch[i] = _train.Weights!.Value.Span[rows[i]];
            }
        }

        ReadOnlySpan<double> x = _xBatch.AsSpan(0, n * d);
        ReadOnlySpan<double> y = _yBatch.AsSpan(0, n);
        ReadOnlySpan<double> s = _sBatch is null ? default : _sBatch.AsSpan(0, n);
        if (!s.IsEmpty && !s.ContainsAnyExcept(0.0))
        {
            return 0;   // a batch of zero-weight rows carries no information: no step (J would be 0/0)
        }

        Backprop.Objective(_network, x, y, s, _options.L2Regularization, _gradients, out double lossSum);
        Update(learningRate);
        return lossSum;
    }

    public double LossSum(DataSet data)
    {
        int d = data.ColumnCount;
        var x = new double[d];
        var z1 = new double[_network.HiddenCount];
        var a1 = new double[_network.HiddenCount];
        var z2 = new double[_network.OutputCount];
        double sum = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            ReadOnlySpan<float> row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                x[j] = row[j];
            }

            _network.Forward(x, z1, a1, z2);
            double s = data.Weights is { } w ? w.Span[i] : 1.0;
            sum += s * _network.OutputHead.Loss(data.Labels.Span[i], z2);
        }

        return sum;
    }

    public void CopyTo(Network network)
    {
        _network.W1.CopyTo(network.W1, 0);
        _network.B1.CopyTo(network.B1, 0);
        _network.W2.CopyTo(network.W2, 0);
        _network.B2.CopyTo(network.B2, 0);
    }

    public void Dispose()
    {
    }

    internal static int ParameterCount(Network network) => network.W1.Length + network.B1.Length + network.W2.Length + network.B2.Length;

    /// <summary>The update rule (P4 with lr on every parameter, errata E7), or momentum, or Adam.</summary>
    private void Update(double learningRate)
    {
        _step++;
        int offset = 0;
        UpdateGroup(_network.W1, _gradients.W1, learningRate, ref offset);
        UpdateGroup(_network.B1, _gradients.B1, learningRate, ref offset);
        UpdateGroup(_network.W2, _gradients.W2, learningRate, ref offset);
        UpdateGroup(_network.B2, _gradients.B2, learningRate, ref offset);
    }

    private void UpdateGroup(Span<double> theta, ReadOnlySpan<double> g, double lr, ref int offset)
    {
        Span<double> m = _m.AsSpan(offset, theta.Length);
        Span<double> v = _v.AsSpan(offset, theta.Length);
        offset += theta.Length;
        _rule.Update(theta, g, m, v, lr, _step);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyNet;

/// <summary>
/// The float32 training engine: the same formulas as <see cref="Backprop"/>, batched and vectorised. This file is the
/// orchestration: the per-step hand-off to worker threads, the fixed-order reduction and the update. The parameter
/// layout is <see cref="ParameterLayout"/>; the compute kernels, one source for every vector width, are
/// <see cref="Kernels{S, TV}"/>, chosen once per engine (<see cref="Kernels.Best"/>).
/// <para>
/// Per step each thread takes a contiguous share of the batch, gathers its rows into a padded buffer X, and computes
/// <code>
/// A      = σ(X w1ᵀ + b1)                   (forward, 4-row register tiles, FMA)
/// Z2     = A w2ᵀ + b2,  Δ2 = s (a2 − y) / Σ s     (K per row; Σ s = B without weights; a2 = softmax for multiclass)
/// ∂J/∂w2 = Δ2ᵀ A,  ∂J/∂b2 = Σ Δ2
/// Δ1     = Δ2 w2 ⊙ A ⊙ (1 − A)              (in place over A)
/// ∂J/∂b1 = Σ Δ1,   ∂J/∂w1ᵀ = Xᵀ Δ1           (4-row register tiles)
/// </code>
/// into its own gradient buffer (phase 1); then the buffers are added in thread order (a fixed-order reduction, so the
/// same thread count gives bit-identical results), λθ is added and the update applied (phase 2, split over the threads in
/// slices of θ when there is enough to split). Nothing is allocated per step.
/// </para>
/// </summary>
internal sealed class FastEngine : IEngine
{
    private const int RowTile = ParameterLayout.RowTile;
    private const int MinWorkPerThread = 1 << 18;   // multiply-adds per thread and pass below which one thread is faster
    // Each step a second thread reads the updated w1 and hands back a gradient of the same size (D·H floats each way);
    // measured here, that costs more than it saves below about 64 rows per thread, whatever D and H.
    private const int MinRowsPerThread = 64;
    private const int ChunkRows = 256;      // rows per pass, so that a thread's X and A stay in L2

    private readonly OutputHead _head;
    private readonly int _k, _kr;
    private readonly ParameterLayout _layout;
    private readonly Kernels _kernels;
    private readonly int _hp, _oB1, _oW2, _oB2;
    private readonly DataSet _train;
    private readonly UpdateRule _rule;
    private readonly float[] _theta, _grad, _m, _v;
    private readonly int[] _batchRows;
    private readonly float[] _w2t, _b2, _zeros;   // K > 1: W2ᵀ and b2 for the logits' tiled product, once per step; a zero bias
    private readonly Context[] _contexts;
    private readonly StepWorkers _workers;
    private readonly float _l2;
    private long _step;

    // The current step's job, read by every thread's share (StepWorkers.Run): phase 1 computes each thread's gradient
    // over its rows; phase 2 adds the thread gradients up (in thread order), adds λθ and updates θ, each thread a slice.
    private bool _reducePhase, _updateInPhase2;
    private int _jobCount, _jobThreads, _reduceSlices;
    private float _jobInvN;
    private UpdateStep _update;

    public FastEngine(Network initial, DataSet train, TrainerOptions options)
        : this(initial, train, options, Kernels.Best)
    {
    }

    /// <summary>An engine on given kernels (tests run every width on any machine this way).</summary>
    internal FastEngine(Network initial, DataSet train, TrainerOptions options, Kernels kernels)
    {
        _head = initial.OutputHead;
        _k = initial.OutputCount;
        _layout = ParameterLayout.Of(initial);
        _kr = _layout.Kr;
        Sizes.CheckArray((double)(ChunkRows + RowTile) * Math.Max(_layout.Dp, _layout.Hp), sizeof(float),
            $"The fast engine's row buffers for D = {initial.InputCount}, H = {initial.HiddenCount}", nameof(initial));
        _kernels = kernels;
        _hp = _layout.Hp;
        _oB1 = _layout.OB1;
        _oW2 = _layout.OW2;
        _oB2 = _layout.OB2;
        _train = train;
        _rule = UpdateRule.For(options);
        _l2 = (float)options.L2Regularization;
        _theta = new float[_layout.Count];
        _grad = new float[_layout.Count];
        _m = new float[_layout.Count];
        _v = new float[_layout.Count];
        _layout.Write(initial, _theta);

        int batch = Math.Min(options.BatchSize, train.RowCount);
        _batchRows = new int[batch];
        _w2t = _k == 1 ? [] : new float[_hp * _layout.Kz];
        _b2 = _k == 1 ? [] : new float[_layout.Kz];
        _zeros = _k == 1 ? [] : new float[_hp];
        int threads = ThreadsFor(options.Threads, batch);
        _contexts = new Context[threads];
        for (int t = 0; t < threads; t++)
        {
            // Thread 0 takes whole batches when they are too small to split (ThreadsFor), so it holds a full chunk.
            int rows = RoundUp(Math.Min(ChunkRows, t == 0 ? batch : (batch + threads - 1) / threads), RowTile);
            _contexts[t] = new Context(rows, _layout.Dp, _hp, _kr, _layout.Kz, _layout.Count);
        }

        _workers = new StepWorkers(threads, Job);
    }

    public double Step(ReadOnlySpan<int> rows, double learningRate)
    {
        double weightSum = WeightSum(rows);
        if (weightSum == 0)
        {
            return 0;   // a batch of zero-weight rows carries no information: no step (J would be 0/0)
        }

        _step++;
        _update = _rule.Step(learningRate, _step);   // θ ← θ − lr · g (errata E7: lr on every parameter), momentum or Adam
        return Run(rows, weightSum, update: true);
    }

    /// <summary>
    /// Below this many gradient floats to add up ((threads − 1) × parameters), one thread reduces and updates: the
    /// extra hand-off to split the work costs more than the work. Internal so that tests can force the split.
    /// </summary>
    internal long ParallelReduceMinimum { get; set; } = 1 << 16;

    /// <summary>The threads the last step's reduction and update were split over.</summary>
    internal int ReduceSlices => _reduceSlices;

    /// <summary>The number of threads the engine holds (the option, clamped to the cores and the batch).</summary>
    internal int ThreadCount => _contexts.Length;

    /// <summary>The vector width of the kernels this engine runs: "Vector512", "Vector256", "Vector128" or "Scalar".</summary>
    internal string Width => _kernels.Width;

    /// <summary>
    /// The threads the engine starts for <see cref="TrainerOptions.Threads"/>: 0 means one per core; more than
    /// <see cref="Environment.ProcessorCount"/> is clamped to it; never more than the rows of a batch. Each step then uses
    /// only as many of them as pay off (<see cref="ThreadsFor(int)"/>: at least 64 rows and 2^18 multiply-adds per thread).
    /// </summary>
    internal static int ThreadsFor(int option, int batch) => ThreadsFor(option, batch, Environment.ProcessorCount);

    /// <inheritdoc cref="ThreadsFor(int, int)"/>
    internal static int ThreadsFor(int option, int batch, int processors) =>
        Math.Max(1, Math.Min(Math.Min(option == 0 ? processors : option, processors), batch));

    /// <summary>About the bytes an engine for D inputs, H hidden units, batches of <paramref name="batch"/> rows allocates.</summary>
    internal static double EstimateBytes(int d, int h, int batch, int threadOption, int k = 1)
    {
        int threads = ThreadsFor(threadOption, batch);
        double dp = RoundUp(d, RowTile), hp = RoundUp(h, ParameterLayout.Lanes);
        double count = ParameterLayout.CountFor(d, h, k);
        double rows = Math.Min(ChunkRows, batch) + RowTile;
        // Per thread: X, A, Z2 (and for K > 1 the logits' product, Back and z2_y); once: W2ᵀ, b2 and zeros for K > 1.
        double kz = k == 1 ? 0 : RoundUp(k, ParameterLayout.Lanes);
        double perRow = dp + hp + (k == 1 ? 1 : RoundUp(k, RowTile) + kz + hp + 1);
        return 4.0 * ((4 + threads) * count + threads * rows * perRow + (hp + 1) * kz + hp) + 4.0 * batch;
    }

    /// <summary>Σ sᵢ over <paramref name="rows"/>: their count without weights.</summary>
    private double WeightSum(ReadOnlySpan<int> rows)
    {
        if (_train.Weights is not { } weights)
        {
            return rows.Length;
        }

        ReadOnlySpan<float> s = weights.Span;
        double sum = 0;
        foreach (int row in rows)
        {
            sum += s[row];
        }

        return sum;
    }

    /// <summary>
    /// Fills the gradient of J = (Σ sᵢ ℓᵢ) / (Σ sᵢ) + (λ/2)‖w‖² for the given rows and returns Σ sᵢ ℓᵢ
    /// (Σ sᵢ = B without weights). The rows' weights must not sum to 0.
    /// </summary>
    internal double ComputeGradient(ReadOnlySpan<int> rows) => Run(rows, WeightSum(rows), update: false);

    /// <summary>
    /// Phase 1: each thread's forward and backward pass over its share of the rows. Phase 2: the thread gradients added
    /// up in thread order (a fixed-order reduction, so the result depends only on the thread count), λθ added, and, when
    /// <paramref name="update"/>, the optimiser step; split over the threads in slices of θ when that pays, which gives
    /// the same bits as one thread (every element sees the same operations in the same order).
    /// </summary>
    private double Run(ReadOnlySpan<int> rows, double weightSum, bool update)
    {
        int n = rows.Length;
        rows.CopyTo(_batchRows);
        int threads = ThreadsFor(n);
        _jobCount = n;
        _jobInvN = _train.Weights is null ? 1f / n : (float)(1.0 / weightSum);
        _jobThreads = threads;
        _reducePhase = false;
        if (_k > 1)
        {
            _layout.TransposeW2(_theta, _w2t, _b2);    // once per step, read by every thread's share
        }

        _workers.Run(threads);

        double lossSum = 0;
        for (int t = 0; t < threads; t++)
        {
            lossSum += _contexts[t].Loss;
        }

        _reducePhase = true;
        _updateInPhase2 = update;
        _reduceSlices = threads > 1 && (long)(threads - 1) * _layout.Count >= ParallelReduceMinimum ? threads : 1;
        _workers.Run(_reduceSlices);
        return lossSum;
    }

    /// <summary>The gradient of the last <see cref="ComputeGradient"/> in the notes' layout, in double.</summary>
    internal Gradients ExportGradient() => _layout.ReadGradient(_grad);

    public double LossSum(DataSet data)
    {
        Context context = _contexts[0];
        int capacity = context.Rows;
        ReadOnlySpan<float> labels = data.Labels.Span;
        ReadOnlySpan<float> weights = data.Weights is { } w ? w.Span : default;
        double sum = 0;
        Span<double> z2 = _k <= 256 ? stackalloc double[_k] : new double[_k];
        if (_k > 1)
        {
            _layout.TransposeW2(_theta, _w2t, _b2);
        }

        for (int start = 0; start < data.RowCount; start += capacity)
        {
            int count = Math.Min(capacity, data.RowCount - start);
            int rows = Gather(context, data, null, start, count);
            _kernels.Forward(_layout, _theta, context.X, context.A, context.Z2, rows);
            if (_k > 1)
            {
                _kernels.Logits(_layout, context.A, _w2t, _b2, context.Zk, context.Z2, _kr, count, rows);
            }

            for (int b = 0; b < count; b++)
            {
                float s = weights.IsEmpty ? 1f : weights[start + b];
                for (int k = 0; k < _k; k++)
                {
                    z2[k] = context.Z2[b * _kr + k];
                }

                sum += s * _head.Loss(labels[start + b], z2);
            }
        }

        return sum;
    }

    public void CopyTo(Network network) => _layout.Read(_theta, network);

    public void Dispose() => _workers.Dispose();

    private int ThreadsFor(int n) => StepThreads(_contexts.Length, n, _layout.Dp, _hp);

    /// <summary>
    /// The threads one step of <paramref name="n"/> rows uses out of <paramref name="threads"/> started: as many as get at
    /// least <see cref="MinRowsPerThread"/> rows and <see cref="MinWorkPerThread"/> multiply-adds each.
    /// </summary>
    internal static int StepThreads(int threads, int n, int dp, int hp)
    {
        while (threads > 1 && (n / threads < MinRowsPerThread || (long)(n / threads) * dp * hp < MinWorkPerThread))
        {
            threads--;
        }

        return threads;
    }

    private void Job(int t)
    {
        if (_reducePhase)
        {
            ReduceAndUpdate(t);
        }
        else
        {
            Share(t);
        }
    }

    /// <summary>
    /// Thread <paramref name="t"/>'s slice of phase 2: θ[lo, hi) (multiples of 16): grad = Σ thread gradients in thread
    /// order, + λθ on w1 and w2 (not the biases; the padding is zero, so it stays zero), then the update.
    /// </summary>
    private void ReduceAndUpdate(int t)
    {
        int count = _layout.Count, lanes = ParameterLayout.Lanes;
        int lo = (int)((long)count / lanes * t / _reduceSlices) * lanes;
        int hi = (int)((long)count / lanes * (t + 1) / _reduceSlices) * lanes;
        if (hi <= lo)
        {
            return;
        }

        Array.Copy(_contexts[0].Grad, lo, _grad, lo, hi - lo);
        for (int u = 1; u < _jobThreads; u++)
        {
            _kernels.Add(_contexts[u].Grad, _grad, lo, hi - lo);
        }

        if (_l2 != 0)
        {
            AddL2(lo, hi, 0, _oB1);
            AddL2(lo, hi, _oW2, _oW2 + _kr * _hp);
        }

        if (_updateInPhase2)
        {
            _kernels.Update(_update, _theta, _grad, _m, _v, lo, hi - lo);
        }
    }

    /// <summary>λθ added to the gradient on the intersection of [lo, hi) with the weights' range [from, to).</summary>
    private void AddL2(int lo, int hi, int from, int to)
    {
        int start = Math.Max(lo, from), end = Math.Min(hi, to);
        if (end > start)
        {
            _kernels.AddL2(_theta, _grad, _l2, start, end - start);
        }
    }

    /// <summary>Thread <paramref name="t"/>'s share of the step: a contiguous slice of the batch's rows.</summary>
    private void Share(int t)
    {
        int start = (int)((long)_jobCount * t / _jobThreads);
        int end = (int)((long)_jobCount * (t + 1) / _jobThreads);
        _contexts[t].Loss = Partial(_contexts[t], _train, start, end - start, _jobInvN);
    }

    /// <summary>
    /// Forward and backward pass of batch rows [start, start + count) into c.Grad, in chunks of at most
    /// <see cref="ChunkRows"/> rows accumulated in order; returns Σ s ℓ.
    /// </summary>
    private double Partial(Context c, DataSet data, int start, int count, float invN)
    {
        Span<float> grad = c.Grad;
        grad.Clear();
        double lossSum = 0;
        int capacity = c.Rows;
        for (int chunk = start; chunk < start + count; chunk += capacity)
        {
            lossSum += Chunk(c, data, chunk, Math.Min(capacity, start + count - chunk), invN, grad);
        }

        // The padded hidden units have a1 = σ(0) = ½ but w2 = 0: keep their ∂J/∂w2 at zero so they stay inert.
        for (int k = 0; k < _k; k++)
        {
            grad.Slice(_oW2 + k * _hp + _layout.H, _hp - _layout.H).Clear();
        }

        return lossSum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // SIMD kernels: fully optimised from the first call, no tiering
    private double Chunk(Context c, DataSet data, int start, int count, float invN, Span<float> grad)
    {
        int rows = Gather(c, data, _batchRows, start, count);
        _kernels.Forward(_layout, _theta, c.X, c.A, c.Z2, rows);
        if (_k > 1)
        {
            _kernels.Logits(_layout, c.A, _w2t, _b2, c.Zk, c.Z2, _kr, count, rows);   // K logits per row: one tiled product
        }

        var output = new OutputChunk(c.Z2, _kr, _k, count, rows, _batchRows.AsSpan(start, count), data, invN,
            grad.Slice(_oB2, _k), c.Logit, c.Top, _kernels);
        double lossSum = _head.Delta2(output);                                           // the head's a2, ℓ and δ2 = a2 − y
        _kernels.Backward(_layout, _theta, c.X, c.A, c.Z2, rows, grad, c.Back, _zeros);
        return lossSum;
    }

    /// <summary>Copies rows into the padded buffer c.X (rows of Dp floats); returns the row count rounded up to the tile.</summary>
    private int Gather(Context c, DataSet data, int[]? rowIndex, int start, int count)
    {
        ReadOnlySpan<float> features = data.Features.Span;
        for (int b = 0; b < count; b++)
        {
            int row = rowIndex is null ? start + b : rowIndex[start + b];
            features.Slice(row * _layout.D, _layout.D).CopyTo(c.X.AsSpan(b * _layout.Dp, _layout.D));
        }

        return RoundUp(count, RowTile);
    }



    private static int RoundUp(int value, int multiple) => ParameterLayout.RoundUp(value, multiple);

    /// <summary>
    /// One thread's scratch: its rows of X, its activations (then Δ1), Z2 (Kr per row, the columns from K on always 0; then
    /// Δ2) and gradient buffer; for K &gt; 1 also the logits' product (Kz per row), Back (W2ᵀ δ2 per row) and z2_y − max.
    /// </summary>
    private sealed class Context(int rows, int dp, int hp, int kr, int kz, int count)
    {
        public readonly int Rows = rows;
        public readonly float[] X = new float[rows * dp];
        public readonly float[] A = new float[rows * hp];
        public readonly float[] Z2 = new float[rows * kr];
        public readonly float[] Zk = kr == 1 ? [] : new float[rows * kz];
        public readonly float[] Back = kr == 1 ? [] : new float[rows * hp];
        public readonly float[] Logit = kr == 1 ? [] : new float[rows];
        public readonly int[] Top = kr == 1 ? [] : new int[rows];
        public readonly float[] Grad = new float[count];
        public double Loss;
    }
}

using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TinyNet;

/// <summary>
/// The float32 training engine: the same formulas as <see cref="Backprop"/>, batched and vectorised.
/// <para>
/// Layout: all parameters live in one flat vector θ = [w1ᵀ (Dp × Hp) | b1 (Hp) | w2 (Hp) | b2 (16)], with w1 stored
/// transposed so that both big products run with whole vectors along the hidden units; H is padded to a multiple
/// of 16 (one Vector512) and D to a multiple of 4 (the register tile), padding held at zero.
/// </para>
/// <para>
/// Per step each thread takes a contiguous share of the batch, gathers its rows into a padded buffer X, and computes
/// <code>
/// A      = σ(X w1ᵀ + b1)                   (forward, 4 × 64 register tiles, FMA)
/// z2     = A w2 + b2,  δ2 = s (a2 − y) / Σ s       (Σ s = B without weights)
/// ∂J/∂w2 = Aᵀ δ2,  ∂J/∂b2 = Σ δ2
/// Δ1     = δ2 w2ᵀ ⊙ A ⊙ (1 − A)             (in place over A)
/// ∂J/∂b1 = Σ Δ1,   ∂J/∂w1ᵀ = Xᵀ Δ1           (4 × 64 register tiles)
/// </code>
/// into its own gradient buffer; the buffers are then added in thread order (a fixed-order reduction, so the same
/// thread count gives bit-identical results) and the main thread applies the update. Nothing is allocated per step.
/// </para>
/// </summary>
internal sealed class FastEngine : IEngine
{
    private const int Lanes = 16;           // floats per Vector512
    private const int RowTile = 4;          // rows per register tile
    private const int MinWorkPerThread = 1 << 18;   // multiply-adds per thread and pass below which one thread is faster
    // Each step a second thread reads the updated w1 and hands back a gradient of the same size (D·H floats each way);
    // measured here, that costs more than it saves below about 64 rows per thread, whatever D and H.
    private const int MinRowsPerThread = 64;
    private const int IdleSpins = 2000;     // about a millisecond of spinning before a worker sleeps
    private const int ChunkRows = 256;      // rows per pass, so that a thread's X and A stay in L2
    private const int GradientRowBlock = 64;

    private readonly Head _head;
    private readonly int _d, _dp, _h, _hp;
    private readonly int _oB1, _oW2, _oB2, _count;
    private readonly DataSet _train;
    private readonly TrainerOptions _options;
    private readonly float[] _theta, _grad, _m, _v;
    private readonly int[] _batchRows;
    private readonly Context[] _contexts;
    private readonly Thread[] _workers;
    private readonly float _l2;
    private long _step;

    // Hand-off between the main thread and the workers: a generation counter bumped once per step.
    private int _generation;
    private volatile bool _disposed;
    private DataSet? _jobData;
    private int _jobCount, _jobThreads;
    private float _jobInvN;
    private Exception? _workerError;

    public FastEngine(Network initial, DataSet train, TrainerOptions options)
    {
        _head = initial.Head;
        _d = initial.InputCount;
        _h = initial.HiddenCount;
        Sizes.CheckArray((double)RoundUp(_d, RowTile) * RoundUp(_h, Lanes) + 2.0 * RoundUp(_h, Lanes) + Lanes, sizeof(float),
            $"The fast engine's parameter vector for D = {_d}, H = {_h} (padded)", nameof(initial));
        Sizes.CheckArray((double)(ChunkRows + RowTile) * RoundUp(Math.Max(_d, _h), Lanes), sizeof(float),
            $"The fast engine's row buffers for D = {_d}, H = {_h}", nameof(initial));
        _dp = RoundUp(_d, RowTile);
        _hp = RoundUp(_h, Lanes);
        _oB1 = _dp * _hp;
        _oW2 = _oB1 + _hp;
        _oB2 = _oW2 + _hp;
        _count = _oB2 + Lanes;
        _train = train;
        _options = options;
        _l2 = (float)options.L2Regularization;
        _theta = new float[_count];
        _grad = new float[_count];
        _m = new float[_count];
        _v = new float[_count];
        CopyFrom(initial);

        int batch = Math.Min(options.BatchSize, train.RowCount);
        _batchRows = new int[batch];
        int threads = ThreadsFor(options.Threads, batch);
        _contexts = new Context[threads];
        for (int t = 0; t < threads; t++)
        {
            // Thread 0 takes whole batches when they are too small to split (ThreadsFor), so it holds a full chunk.
            int rows = RoundUp(Math.Min(ChunkRows, t == 0 ? batch : (batch + threads - 1) / threads), RowTile);
            _contexts[t] = new Context(rows, _dp, _hp, _count);
        }

        _workers = new Thread[threads - 1];
        for (int t = 1; t < threads; t++)
        {
            int index = t;
            _workers[t - 1] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"TinyNet worker {t}" };
            _workers[t - 1].Start();
        }
    }

    public double Step(ReadOnlySpan<int> rows, double learningRate)
    {
        if (WeightSum(rows) == 0)
        {
            return 0;   // a batch of zero-weight rows carries no information: no step (J would be 0/0)
        }

        double lossSum = ComputeGradient(rows);
        Update(learningRate);
        return lossSum;
    }

    /// <summary>The number of threads the engine holds (the option, clamped to the cores and the batch).</summary>
    internal int ThreadCount => _contexts.Length;

    /// <summary>
    /// The threads for <see cref="TrainerOptions.Threads"/>: 0 means one per core, at most 2; more than
    /// <see cref="Environment.ProcessorCount"/> is clamped to it; never more than the rows of a batch.
    /// </summary>
    internal static int ThreadsFor(int option, int batch) =>
        Math.Max(1, Math.Min(Math.Min(option == 0 ? 2 : option, Environment.ProcessorCount), batch));

    /// <summary>About the bytes an engine for D inputs, H hidden units, batches of <paramref name="batch"/> rows allocates.</summary>
    internal static double EstimateBytes(int d, int h, int batch, int threadOption)
    {
        int threads = ThreadsFor(threadOption, batch);
        double dp = RoundUp(d, RowTile), hp = RoundUp(h, Lanes);
        double count = dp * hp + 2 * hp + Lanes;
        double rows = Math.Min(ChunkRows, batch) + RowTile;
        return 4.0 * ((4 + threads) * count + threads * rows * (dp + hp + 1)) + 4.0 * batch;
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
    internal double ComputeGradient(ReadOnlySpan<int> rows)
    {
        int n = rows.Length;
        rows.CopyTo(_batchRows);
        int threads = ThreadsFor(n);
        float invN = _train.Weights is null ? 1f / n : (float)(1.0 / WeightSum(rows));
        double lossSum;
        if (threads == 1)
        {
            lossSum = Partial(_contexts[0], _train, 0, n, invN);
            _contexts[0].Grad.AsSpan().CopyTo(_grad);
        }
        else
        {
            _jobData = _train;
            _jobCount = n;
            _jobInvN = invN;
            _jobThreads = threads;
            int generation = Interlocked.Increment(ref _generation);
            for (int t = 1; t < threads; t++)
            {
                if (Volatile.Read(ref _contexts[t].Sleeping) != 0)
                {
                    _contexts[t].Wake.Set();
                }
            }

            Context main = _contexts[0];
            main.Loss = Partial(main, _train, 0, Share(n, threads, 1), invN);
            for (int t = 1; t < threads; t++)
            {
                var spinner = new SpinWait();
                while (Volatile.Read(ref _contexts[t].Done) != generation)
                {
                    if (_workerError is not null)
                    {
                        throw new InvalidOperationException("A TinyNet worker thread failed.", _workerError);
                    }

                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }

            // Fixed-order reduction: thread 0 + thread 1 + ..., so the result depends only on the thread count.
            lossSum = main.Loss;
            main.Grad.AsSpan().CopyTo(_grad);
            for (int t = 1; t < threads; t++)
            {
                lossSum += _contexts[t].Loss;
                TensorPrimitives.Add(_grad, _contexts[t].Grad, _grad);
            }
        }

        if (_l2 != 0)
        {
            // ∂/∂w of (λ/2)‖w‖² = λ w, on w1 and w2 only (the padding is zero, so it stays zero).
            TensorPrimitives.MultiplyAdd(_theta.AsSpan(0, _oB1), _l2, _grad.AsSpan(0, _oB1), _grad.AsSpan(0, _oB1));
            TensorPrimitives.MultiplyAdd(_theta.AsSpan(_oW2, _hp), _l2, _grad.AsSpan(_oW2, _hp), _grad.AsSpan(_oW2, _hp));
        }

        return lossSum;
    }

    /// <summary>The gradient of the last <see cref="ComputeGradient"/> in the notes' layout, in double.</summary>
    internal Gradients ExportGradient()
    {
        var g = new Gradients(_d, _h);
        for (int h = 0; h < _h; h++)
        {
            for (int j = 0; j < _d; j++)
            {
                g.W1[h * _d + j] = _grad[j * _hp + h];
            }

            g.B1[h] = _grad[_oB1 + h];
            g.W2[h] = _grad[_oW2 + h];
        }

        g.B2 = _grad[_oB2];
        return g;
    }

    public double LossSum(DataSet data)
    {
        Context context = _contexts[0];
        int capacity = context.Z2.Length;
        double sum = 0;
        for (int start = 0; start < data.RowCount; start += capacity)
        {
            int count = Math.Min(capacity, data.RowCount - start);
            int rows = Gather(context, data, null, start, count);
            Forward(context, rows);
            for (int b = 0; b < count; b++)
            {
                float s = data.Weights is { } w ? w.Span[start + b] : 1f;
                sum += s * Losses.Loss(_head, data.Labels.Span[start + b], context.Z2[b]);
            }
        }

        return sum;
    }

    public void CopyTo(Network network)
    {
        for (int h = 0; h < _h; h++)
        {
            for (int j = 0; j < _d; j++)
            {
                network.W1[h * _d + j] = _theta[j * _hp + h];
            }

            network.B1[h] = _theta[_oB1 + h];
            network.W2[h] = _theta[_oW2 + h];
        }

        network.B2 = _theta[_oB2];
    }

    private void CopyFrom(Network network)
    {
        for (int h = 0; h < _h; h++)
        {
            for (int j = 0; j < _d; j++)
            {
                _theta[j * _hp + h] = (float)network.W1[h * _d + j];
            }

            _theta[_oB1 + h] = (float)network.B1[h];
            _theta[_oW2 + h] = (float)network.W2[h];
        }

        _theta[_oB2] = (float)network.B2;
    }

    public void Dispose()
    {
        _disposed = true;
        Interlocked.Increment(ref _generation);
        for (int t = 1; t < _contexts.Length; t++)
        {
            _contexts[t].Wake.Set();
        }

        foreach (Thread worker in _workers)
        {
            worker.Join();
        }

        foreach (Context context in _contexts)
        {
            context.Wake.Dispose();
        }
    }

    private int ThreadsFor(int n)
    {
        int threads = _contexts.Length;
        while (threads > 1 && (n / threads < MinRowsPerThread || (long)(n / threads) * _dp * _hp < MinWorkPerThread))
        {
            threads--;
        }

        return threads;
    }

    private static int Share(int n, int threads, int t) => (int)((long)n * t / threads);

    private void WorkerLoop(int t)
    {
        Context context = _contexts[t];
        int seen = 0;
        while (true)
        {
            // Spin briefly (steps follow each other within microseconds), then sleep so that an idle engine
            // (a batch too small to split, validation, the caller's own work) leaves the core alone.
            var spinner = new SpinWait();
            int generation;
            while ((generation = Volatile.Read(ref _generation)) == seen)
            {
                if (spinner.Count < IdleSpins)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                context.Wake.Reset();
                Interlocked.Exchange(ref context.Sleeping, 1);
                if (Volatile.Read(ref _generation) == seen)
                {
                    context.Wake.Wait();
                }

                Interlocked.Exchange(ref context.Sleeping, 0);
            }

            seen = generation;
            if (_disposed)
            {
                return;
            }

            try
            {
                if (t < _jobThreads)
                {
                    int start = Share(_jobCount, _jobThreads, t);
                    int end = Share(_jobCount, _jobThreads, t + 1);
                    context.Loss = Partial(context, _jobData!, start, end - start, _jobInvN);
                }
            }
            catch (Exception e)
            {
                _workerError = e;
                return;
            }

            Volatile.Write(ref context.Done, generation);
        }
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
        int capacity = c.Z2.Length;
        for (int chunk = start; chunk < start + count; chunk += capacity)
        {
            lossSum += Chunk(c, data, chunk, Math.Min(capacity, start + count - chunk), invN, grad);
        }

        // The padded hidden units have a1 = σ(0) = ½ but w2 = 0: keep their ∂J/∂w2 at zero so they stay inert.
        grad.Slice(_oW2 + _h, _hp - _h).Clear();
        return lossSum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // SIMD kernels: fully optimised from the first call, no tiering
    private double Chunk(Context c, DataSet data, int start, int count, float invN, Span<float> grad)
    {
        int rows = Gather(c, data, _batchRows, start, count);
        Forward(c, rows);

        ReadOnlySpan<float> labels = data.Labels.Span;
        ReadOnlySpan<float> weights = data.Weights is { } w ? w.Span : default;
        double lossSum = 0;
        float db2 = 0;
        for (int b = 0; b < count; b++)
        {
            int row = _batchRows[start + b];
            float z2 = c.Z2[b];
            float y = labels[row];
            float s = weights.IsEmpty ? 1f : weights[row];
            (float a2, float loss) = OutputAndLoss(z2, y);
            lossSum += s * loss;
            float delta2 = s * (a2 - y) * invN;               // δ2 = a2 − y (P2, P6), weighted, over the batch's Σ s
            c.Z2[b] = delta2;
            db2 += delta2;                                    // ∂J/∂b2 = Σ δ2
        }

        for (int b = count; b < rows; b++)
        {
            c.Z2[b] = 0;                                      // padding rows contribute nothing
        }

        grad[_oB2] += db2;
        ref float a = ref MemoryMarshal.GetArrayDataReference(c.A);
        ref float w2 = ref _theta[_oW2];
        ref float gw2 = ref grad[_oW2];
        ref float gb1 = ref grad[_oB1];
        for (int b = 0; b < rows; b++)
        {
            var delta2 = Vector512.Create(c.Z2[b]);
            for (int h = 0; h < _hp; h += Lanes)
            {
                nuint i = (nuint)(b * _hp + h);
                Vector512<float> a1 = Vector512.LoadUnsafe(ref a, i);
                // ∂J/∂w2 = Σ δ2 a1 (P2, P5)
                Vector512.FusedMultiplyAdd(delta2, a1, Vector512.LoadUnsafe(ref gw2, (nuint)h)).StoreUnsafe(ref gw2, (nuint)h);
                // δ1 = δ2 w2 ⊙ a1 ⊙ (1 − a1) (P3, P6)
                Vector512<float> delta1 = delta2 * Vector512.LoadUnsafe(ref w2, (nuint)h) * a1 * (Vector512<float>.One - a1);
                delta1.StoreUnsafe(ref a, i);
                // ∂J/∂b1 = Σ δ1
                (Vector512.LoadUnsafe(ref gb1, (nuint)h) + delta1).StoreUnsafe(ref gb1, (nuint)h);
            }
        }

        // ∂J/∂w1 = Σ δ1 xᵀ (P3 with errata E5, P6), stored transposed: G[j, h] += Σ_b X[b, j] Δ1[b, h].
        WeightGradient(c, rows, grad);
        return lossSum;
    }

    /// <summary>Copies rows into the padded buffer c.X (rows of Dp floats); returns the row count rounded up to the tile.</summary>
    private int Gather(Context c, DataSet data, int[]? rowIndex, int start, int count)
    {
        ReadOnlySpan<float> features = data.Features.Span;
        for (int b = 0; b < count; b++)
        {
            int row = rowIndex is null ? start + b : rowIndex[start + b];
            features.Slice(row * _d, _d).CopyTo(c.X.AsSpan(b * _dp, _d));
        }

        return RoundUp(count, RowTile);
    }

    /// <summary>A = σ(X w1ᵀ + b1) for the first <paramref name="rows"/> rows of c.X; then z2 = A w2 + b2 into c.Z2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // SIMD kernels: fully optimised from the first call, no tiering
    private void Forward(Context c, int rows)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(c.X);
        ref float a = ref MemoryMarshal.GetArrayDataReference(c.A);
        ref float w1t = ref MemoryMarshal.GetArrayDataReference(_theta);
        ref float b1 = ref _theta[_oB1];
        // Hidden units outer, rows inner: a 64-unit column block of w1ᵀ (Dp × 64 floats) stays in L1 while every row
        // tile passes over it, instead of streaming all of w1ᵀ from L2 once per row tile.
        int h0 = 0;
        for (; h0 + 4 * Lanes <= _hp; h0 += 4 * Lanes)
        {
            for (int b0 = 0; b0 < rows; b0 += RowTile)
            {
                ForwardTile4x4(ref Unsafe.Add(ref x, b0 * _dp), ref Unsafe.Add(ref w1t, h0), ref Unsafe.Add(ref b1, h0), ref Unsafe.Add(ref a, b0 * _hp + h0));
            }
        }

        for (; h0 < _hp; h0 += Lanes)
        {
            for (int b0 = 0; b0 < rows; b0 += RowTile)
            {
                ForwardTile4x1(ref Unsafe.Add(ref x, b0 * _dp), ref Unsafe.Add(ref w1t, h0), ref Unsafe.Add(ref b1, h0), ref Unsafe.Add(ref a, b0 * _hp + h0));
            }
        }

        Span<float> activations = c.A.AsSpan(0, rows * _hp);
        SigmoidInPlace(activations);                          // a1 = σ(z1)
        ref float w2 = ref _theta[_oW2];
        float b2 = _theta[_oB2];
        for (int b = 0; b < rows; b++)
        {
            Vector512<float> sum = Vector512<float>.Zero;
            for (int h = 0; h < _hp; h += Lanes)
            {
                sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)(b * _hp + h)), Vector512.LoadUnsafe(ref w2, (nuint)h), sum);
            }

            c.Z2[b] = Vector512.Sum(sum) + b2;                // z2 = w2 · a1 + b2
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ForwardTile4x4(ref float x, ref float w1t, ref float b1, ref float a)
    {
        Vector512<float> bias0 = Vector512.LoadUnsafe(ref b1, 0), bias1 = Vector512.LoadUnsafe(ref b1, 16);
        Vector512<float> bias2 = Vector512.LoadUnsafe(ref b1, 32), bias3 = Vector512.LoadUnsafe(ref b1, 48);
        Vector512<float> c00 = bias0, c01 = bias1, c02 = bias2, c03 = bias3;
        Vector512<float> c10 = bias0, c11 = bias1, c12 = bias2, c13 = bias3;
        Vector512<float> c20 = bias0, c21 = bias1, c22 = bias2, c23 = bias3;
        Vector512<float> c30 = bias0, c31 = bias1, c32 = bias2, c33 = bias3;
        nuint dp = (nuint)_dp, hp = (nuint)_hp;
        for (nuint j = 0; j < dp; j++)
        {
            ref float w = ref Unsafe.Add(ref w1t, j * hp);
            Vector512<float> w0 = Vector512.LoadUnsafe(ref w, 0), w1 = Vector512.LoadUnsafe(ref w, 16);
            Vector512<float> w2 = Vector512.LoadUnsafe(ref w, 32), w3 = Vector512.LoadUnsafe(ref w, 48);
            var x0 = Vector512.Create(Unsafe.Add(ref x, j));
            c00 = Vector512.FusedMultiplyAdd(x0, w0, c00); c01 = Vector512.FusedMultiplyAdd(x0, w1, c01);
            c02 = Vector512.FusedMultiplyAdd(x0, w2, c02); c03 = Vector512.FusedMultiplyAdd(x0, w3, c03);
            var x1 = Vector512.Create(Unsafe.Add(ref x, dp + j));
            c10 = Vector512.FusedMultiplyAdd(x1, w0, c10); c11 = Vector512.FusedMultiplyAdd(x1, w1, c11);
            c12 = Vector512.FusedMultiplyAdd(x1, w2, c12); c13 = Vector512.FusedMultiplyAdd(x1, w3, c13);
            var x2 = Vector512.Create(Unsafe.Add(ref x, 2 * dp + j));
            c20 = Vector512.FusedMultiplyAdd(x2, w0, c20); c21 = Vector512.FusedMultiplyAdd(x2, w1, c21);
            c22 = Vector512.FusedMultiplyAdd(x2, w2, c22); c23 = Vector512.FusedMultiplyAdd(x2, w3, c23);
            var x3 = Vector512.Create(Unsafe.Add(ref x, 3 * dp + j));
            c30 = Vector512.FusedMultiplyAdd(x3, w0, c30); c31 = Vector512.FusedMultiplyAdd(x3, w1, c31);
            c32 = Vector512.FusedMultiplyAdd(x3, w2, c32); c33 = Vector512.FusedMultiplyAdd(x3, w3, c33);
        }

        c00.StoreUnsafe(ref a, 0); c01.StoreUnsafe(ref a, 16); c02.StoreUnsafe(ref a, 32); c03.StoreUnsafe(ref a, 48);
        c10.StoreUnsafe(ref a, hp); c11.StoreUnsafe(ref a, hp + 16); c12.StoreUnsafe(ref a, hp + 32); c13.StoreUnsafe(ref a, hp + 48);
        c20.StoreUnsafe(ref a, 2 * hp); c21.StoreUnsafe(ref a, 2 * hp + 16); c22.StoreUnsafe(ref a, 2 * hp + 32); c23.StoreUnsafe(ref a, 2 * hp + 48);
        c30.StoreUnsafe(ref a, 3 * hp); c31.StoreUnsafe(ref a, 3 * hp + 16); c32.StoreUnsafe(ref a, 3 * hp + 32); c33.StoreUnsafe(ref a, 3 * hp + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ForwardTile4x1(ref float x, ref float w1t, ref float b1, ref float a)
    {
        Vector512<float> c0 = Vector512.LoadUnsafe(ref b1), c1 = c0, c2 = c0, c3 = c0;
        nuint dp = (nuint)_dp, hp = (nuint)_hp;
        for (nuint j = 0; j < dp; j++)
        {
            Vector512<float> w = Vector512.LoadUnsafe(ref w1t, j * hp);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, j)), w, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, dp + j)), w, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, 2 * dp + j)), w, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref x, 3 * dp + j)), w, c3);
        }

        c0.StoreUnsafe(ref a, 0); c1.StoreUnsafe(ref a, hp); c2.StoreUnsafe(ref a, 2 * hp); c3.StoreUnsafe(ref a, 3 * hp);
    }

    /// <summary>grad[w1ᵀ] += Xᵀ Δ1 over the first <paramref name="rows"/> rows (Δ1 is in c.A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // SIMD kernels: fully optimised from the first call, no tiering
    private void WeightGradient(Context c, int rows, Span<float> grad)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(c.X);
        ref float delta1 = ref MemoryMarshal.GetArrayDataReference(c.A);
        ref float g = ref MemoryMarshal.GetReference(grad);
        // Blocks of 64 rows × 64 hidden units of Δ1 (16 KB) and 64 rows of X stay in L1 while all Dp/4 tiles of
        // inputs pass over them; the gradient tiles are loaded and stored once per block.
        for (int r0 = 0; r0 < rows; r0 += GradientRowBlock)
        {
            int count = Math.Min(GradientRowBlock, rows - r0);
            ref float xBlock = ref Unsafe.Add(ref x, r0 * _dp);
            ref float dBlock = ref Unsafe.Add(ref delta1, r0 * _hp);
            int h0 = 0;
            for (; h0 + 4 * Lanes <= _hp; h0 += 4 * Lanes)
            {
                for (int j0 = 0; j0 < _dp; j0 += RowTile)
                {
                    GradientTile4x4(ref Unsafe.Add(ref xBlock, j0), ref Unsafe.Add(ref dBlock, h0), ref Unsafe.Add(ref g, j0 * _hp + h0), count);
                }
            }

            for (; h0 < _hp; h0 += Lanes)
            {
                for (int j0 = 0; j0 < _dp; j0 += RowTile)
                {
                    GradientTile4x1(ref Unsafe.Add(ref xBlock, j0), ref Unsafe.Add(ref dBlock, h0), ref Unsafe.Add(ref g, j0 * _hp + h0), count);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void GradientTile4x4(ref float x, ref float delta1, ref float g, int rows)
    {
        nuint dp = (nuint)_dp, hp = (nuint)_hp;
        Vector512<float> c00 = Vector512.LoadUnsafe(ref g, 0), c01 = Vector512.LoadUnsafe(ref g, 16), c02 = Vector512.LoadUnsafe(ref g, 32), c03 = Vector512.LoadUnsafe(ref g, 48);
        Vector512<float> c10 = Vector512.LoadUnsafe(ref g, hp), c11 = Vector512.LoadUnsafe(ref g, hp + 16), c12 = Vector512.LoadUnsafe(ref g, hp + 32), c13 = Vector512.LoadUnsafe(ref g, hp + 48);
        Vector512<float> c20 = Vector512.LoadUnsafe(ref g, 2 * hp), c21 = Vector512.LoadUnsafe(ref g, 2 * hp + 16), c22 = Vector512.LoadUnsafe(ref g, 2 * hp + 32), c23 = Vector512.LoadUnsafe(ref g, 2 * hp + 48);
        Vector512<float> c30 = Vector512.LoadUnsafe(ref g, 3 * hp), c31 = Vector512.LoadUnsafe(ref g, 3 * hp + 16), c32 = Vector512.LoadUnsafe(ref g, 3 * hp + 32), c33 = Vector512.LoadUnsafe(ref g, 3 * hp + 48);
        for (nuint b = 0; b < (nuint)rows; b++)
        {
            ref float d1 = ref Unsafe.Add(ref delta1, b * hp);
            Vector512<float> e0 = Vector512.LoadUnsafe(ref d1, 0), e1 = Vector512.LoadUnsafe(ref d1, 16);
            Vector512<float> e2 = Vector512.LoadUnsafe(ref d1, 32), e3 = Vector512.LoadUnsafe(ref d1, 48);
            ref float xb = ref Unsafe.Add(ref x, b * dp);
            var x0 = Vector512.Create(xb);
            c00 = Vector512.FusedMultiplyAdd(x0, e0, c00); c01 = Vector512.FusedMultiplyAdd(x0, e1, c01);
            c02 = Vector512.FusedMultiplyAdd(x0, e2, c02); c03 = Vector512.FusedMultiplyAdd(x0, e3, c03);
            var x1 = Vector512.Create(Unsafe.Add(ref xb, 1));
            c10 = Vector512.FusedMultiplyAdd(x1, e0, c10); c11 = Vector512.FusedMultiplyAdd(x1, e1, c11);
            c12 = Vector512.FusedMultiplyAdd(x1, e2, c12); c13 = Vector512.FusedMultiplyAdd(x1, e3, c13);
            var x2 = Vector512.Create(Unsafe.Add(ref xb, 2));
            c20 = Vector512.FusedMultiplyAdd(x2, e0, c20); c21 = Vector512.FusedMultiplyAdd(x2, e1, c21);
            c22 = Vector512.FusedMultiplyAdd(x2, e2, c22); c23 = Vector512.FusedMultiplyAdd(x2, e3, c23);
            var x3 = Vector512.Create(Unsafe.Add(ref xb, 3));
            c30 = Vector512.FusedMultiplyAdd(x3, e0, c30); c31 = Vector512.FusedMultiplyAdd(x3, e1, c31);
            c32 = Vector512.FusedMultiplyAdd(x3, e2, c32); c33 = Vector512.FusedMultiplyAdd(x3, e3, c33);
        }

        c00.StoreUnsafe(ref g, 0); c01.StoreUnsafe(ref g, 16); c02.StoreUnsafe(ref g, 32); c03.StoreUnsafe(ref g, 48);
        c10.StoreUnsafe(ref g, hp); c11.StoreUnsafe(ref g, hp + 16); c12.StoreUnsafe(ref g, hp + 32); c13.StoreUnsafe(ref g, hp + 48);
        c20.StoreUnsafe(ref g, 2 * hp); c21.StoreUnsafe(ref g, 2 * hp + 16); c22.StoreUnsafe(ref g, 2 * hp + 32); c23.StoreUnsafe(ref g, 2 * hp + 48);
        c30.StoreUnsafe(ref g, 3 * hp); c31.StoreUnsafe(ref g, 3 * hp + 16); c32.StoreUnsafe(ref g, 3 * hp + 32); c33.StoreUnsafe(ref g, 3 * hp + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void GradientTile4x1(ref float x, ref float delta1, ref float g, int rows)
    {
        nuint dp = (nuint)_dp, hp = (nuint)_hp;
        Vector512<float> c0 = Vector512.LoadUnsafe(ref g, 0), c1 = Vector512.LoadUnsafe(ref g, hp);
        Vector512<float> c2 = Vector512.LoadUnsafe(ref g, 2 * hp), c3 = Vector512.LoadUnsafe(ref g, 3 * hp);
        for (nuint b = 0; b < (nuint)rows; b++)
        {
            Vector512<float> e = Vector512.LoadUnsafe(ref delta1, b * hp);
            ref float xb = ref Unsafe.Add(ref x, b * dp);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(xb), e, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xb, 1)), e, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xb, 2)), e, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref xb, 3)), e, c3);
        }

        c0.StoreUnsafe(ref g, 0); c1.StoreUnsafe(ref g, hp); c2.StoreUnsafe(ref g, 2 * hp); c3.StoreUnsafe(ref g, 3 * hp);
    }

    /// <summary>θ ← θ − lr · g (errata E7: lr on every parameter), or momentum, or Adam; over the flat vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // SIMD kernels: fully optimised from the first call, no tiering
    private void Update(double learningRate)
    {
        _step++;
        float lr = (float)learningRate;
        switch (_options.Optimizer)
        {
            case Optimizer.Sgd:
                TensorPrimitives.MultiplyAdd(_grad, -lr, _theta, _theta);
                break;
            case Optimizer.Momentum:
                TensorPrimitives.Multiply(_m, (float)_options.Momentum, _m);
                TensorPrimitives.MultiplyAdd(_grad, -lr, _m, _m);
                TensorPrimitives.Add(_theta, _m, _theta);
                break;
            default:
                var beta1 = Vector512.Create((float)_options.Beta1);
                var beta2 = Vector512.Create((float)_options.Beta2);
                var oneMinusBeta1 = Vector512.Create((float)(1 - _options.Beta1));
                var oneMinusBeta2 = Vector512.Create((float)(1 - _options.Beta2));
                var invC1 = Vector512.Create((float)(1 / (1 - Math.Pow(_options.Beta1, _step))));
                var invC2 = Vector512.Create((float)(1 / (1 - Math.Pow(_options.Beta2, _step))));
                var eps = Vector512.Create((float)_options.Epsilon);
                var rate = Vector512.Create(lr);
                ref float theta = ref MemoryMarshal.GetArrayDataReference(_theta);
                ref float grad = ref MemoryMarshal.GetArrayDataReference(_grad);
                ref float m = ref MemoryMarshal.GetArrayDataReference(_m);
                ref float v = ref MemoryMarshal.GetArrayDataReference(_v);
                for (nuint i = 0; i < (nuint)_count; i += Lanes)
                {
                    Vector512<float> g = Vector512.LoadUnsafe(ref grad, i);
                    Vector512<float> mi = beta1 * Vector512.LoadUnsafe(ref m, i) + oneMinusBeta1 * g;
                    Vector512<float> vi = beta2 * Vector512.LoadUnsafe(ref v, i) + oneMinusBeta2 * g * g;
                    mi.StoreUnsafe(ref m, i);
                    vi.StoreUnsafe(ref v, i);
                    Vector512<float> step = rate * (mi * invC1) / (Vector512.Sqrt(vi * invC2) + eps);
                    (Vector512.LoadUnsafe(ref theta, i) - step).StoreUnsafe(ref theta, i);
                }

                break;
        }
    }

    /// <summary>
    /// σ(z) = 1 / (1 + e^(−z)) over whole vectors. e^x is computed as 2^n · p(r) with n = round(x / ln 2),
    /// r = x − n ln 2 (split in two constants, Cody–Waite) and p the degree-6 Taylor polynomial (|r| ≤ ln 2 / 2, relative
    /// error &lt; 2e-7, about one float ulp); x is clamped to [−87, 88] so that 2^n stays a normal float: at z = −88 the
    /// result is 6e-39 instead of the true 6e-39·(1 ± tiny), and σ is never NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SigmoidInPlace(Span<float> z)
    {
        ref float r = ref MemoryMarshal.GetReference(z);
        var one = Vector512<float>.One;
        for (nuint i = 0; i < (nuint)z.Length; i += Lanes)
        {
            Vector512<float> x = Vector512.Clamp(-Vector512.LoadUnsafe(ref r, i), Vector512.Create(-87f), Vector512.Create(88f));
            (one / (one + Exp(x))).StoreUnsafe(ref r, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> n = Vector512.Round(x * Vector512.Create(1.44269504f));                   // x / ln 2
        Vector512<float> t = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);    // ln 2, high part
        t = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), t);                    // ln 2, low part
        Vector512<float> p = Vector512.Create(1f / 720);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512<float>.One);
        Vector512<int> scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23);  // 2^n
        return p * scale.AsSingle();
    }

    /// <summary>
    /// a2 and ℓ for one row from its logit z2, in float: regression a2 = z2, ℓ = ½ (y − z2)²; binary a2 = σ(z2) and
    /// ℓ = y softplus(−z2) + (1 − y) softplus(z2) (the forms of <see cref="Activations"/> and <see cref="Losses"/>), sharing one e^(−|z2|).
    /// </summary>
    private (float A2, float Loss) OutputAndLoss(float z2, float y)
    {
        if (_head == Head.Regression)
        {
            float r = y - z2;
            return (z2, 0.5f * r * r);
        }

        float e = MathF.Exp(-MathF.Abs(z2));
        float a2 = z2 >= 0 ? 1f / (1f + e) : e / (1f + e);
        float u = 1f + e;
        float log1pE = u == 1f ? e : MathF.Log(u) * e / (u - 1f);            // log(1 + e), exact also for tiny e
        float softplus = MathF.Max(z2, 0f) + log1pE, softplusNeg = MathF.Max(-z2, 0f) + log1pE;
        return (a2, y * softplusNeg + (1f - y) * softplus);                 // no cancellation (Losses.LogLossFromLogit)
    }

    private static int RoundUp(int value, int multiple) => (int)Math.Min(((long)value + multiple - 1) / multiple * multiple, int.MaxValue);

    /// <summary>One thread's scratch: its rows of X, its activations (then Δ1), z2 (then δ2) and gradient buffer.</summary>
    private sealed class Context(int rows, int dp, int hp, int count)
    {
        public readonly float[] X = new float[rows * dp];
        public readonly float[] A = new float[rows * hp];
        public readonly float[] Z2 = new float[rows];
        public readonly float[] Grad = new float[count];
        public readonly ManualResetEventSlim Wake = new(false, spinCount: 1);
        public double Loss;
        public int Done;
        public int Sleeping;
    }
}

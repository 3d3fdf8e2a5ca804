using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TinyNet;

/// <summary>
/// The fast engine's compute kernels for one vector width, chosen once per engine (<see cref="Best"/>): the widest
/// width this CPU accelerates. One source for every width: <see cref="Kernels{S, TV}"/>.
/// </summary>
internal abstract class Kernels
{
    /// <summary>The kernels of the widest hardware-accelerated width: Vector512, else Vector256, else Vector128, else scalar.</summary>
    public static Kernels Best => All[
        Vector512.IsHardwareAccelerated ? 0 : Vector256.IsHardwareAccelerated ? 1 : Vector128.IsHardwareAccelerated ? 2 : 3];

    /// <summary>
    /// The kernels of every width, widest first. A width the CPU does not accelerate still computes correctly (the runtime
    /// emulates its vectors in software), only slowly: tests use this to check every width on any machine.
    /// </summary>
    public static IReadOnlyList<Kernels> All { get; } =
    [
        new Kernels<Simd512, Vector512<float>>("Vector512"), new Kernels<Simd256, Vector256<float>>("Vector256"),
        new Kernels<Simd128, Vector128<float>>("Vector128"), new Kernels<SimdScalar, float>("Scalar"),
    ];

    /// <summary>"Vector512", "Vector256", "Vector128" or "Scalar".</summary>
    public abstract string Width { get; }

    /// <summary>
    /// A = σ(X w1ᵀ + b1) for the first <paramref name="rows"/> rows of X (a multiple of the row tile); for one output also
    /// z2 = A w2 + b2, one per row. K &gt; 1: the logits are <see cref="Logits"/>' tiled product, <paramref name="z2"/> unused.
    /// </summary>
    public abstract void Forward(ParameterLayout p, float[] theta, float[] x, float[] a, float[] z2, int rows);

    /// <summary>
    /// K &gt; 1: the logits Z2 = A W2ᵀ + b2 of the first <paramref name="rows"/> rows of A, one tiled product
    /// (<paramref name="w2t"/>, <paramref name="b2"/> from <see cref="ParameterLayout.TransposeW2"/>) into
    /// <paramref name="scratch"/> (rows × Kz); the K logits of the first <paramref name="count"/> rows are copied to
    /// <paramref name="z2"/>, row b at b · <paramref name="stride"/>.
    /// </summary>
    public void Logits(ParameterLayout p, float[] a, float[] w2t, float[] b2, float[] scratch, Span<float> z2, int stride, int count, int rows)
    {
        Product(a, p.Hp, w2t, b2, scratch, p.Kz, rows);                   // z2 = W2 a1 + b2 (M1), every row at once
        for (int b = 0; b < count; b++)
        {
            scratch.AsSpan(b * p.Kz, p.K).CopyTo(z2.Slice(b * stride, p.K));
        }
    }

    /// <summary>
    /// C = X W + bias for <paramref name="rows"/> rows (a multiple of the row tile): X is rows × <paramref name="dp"/>, W is
    /// dp × <paramref name="hp"/> (a multiple of 16), C rows of hp; the register tiles of the forward pass.
    /// </summary>
    public abstract void Product(float[] x, int dp, float[] weights, float[] bias, float[] c, int hp, int rows);

    /// <summary>
    /// The K logits z2 of one row <paramref name="x"/> (D values, unpadded), with a1 left in <paramref name="a"/> (Hp
    /// values): the single-row forward pass of scoring.
    /// </summary>
    public abstract void ForwardRow(ParameterLayout p, float[] theta, ReadOnlySpan<float> x, float[] a, Span<float> z2);

    /// <summary>
    /// Given δ2 (row stride Kr; K = 1: one per row) in <paramref name="delta2"/>: ∂J/∂w2 += Δ2ᵀ A; Δ1 = Δ2 w2 ⊙ A ⊙ (1 − A)
    /// in place over A; ∂J/∂b1 += Σ Δ1; ∂J/∂w1ᵀ += Xᵀ Δ1. For K &gt; 1, <paramref name="back"/> (rows × Hp) is scratch for
    /// Δ2 w2 and <paramref name="zeros"/> (Hp zeros) its bias; unused for K = 1.
    /// </summary>
    public abstract void Backward(ParameterLayout p, float[] theta, float[] x, float[] a, float[] delta2, int rows, Span<float> grad, float[] back, float[] zeros);

    /// <summary><paramref name="target"/>[start, start + count) += <paramref name="source"/>[start, start + count).</summary>
    public abstract void Add(float[] source, float[] target, int start, int count);

    /// <summary>∂/∂w of (λ/2)‖w‖² = λ w: grad += λ θ over [start, start + count).</summary>
    public abstract void AddL2(float[] theta, float[] grad, float l2, int start, int count);

    /// <summary>One optimiser step over θ[start, start + count) (start and count multiples of 16).</summary>
    public abstract void Update(in UpdateStep step, float[] theta, float[] grad, float[] m, float[] v, int start, int count);

    /// <summary>σ over <paramref name="z"/> in place (length a multiple of 16).</summary>
    public abstract void Sigmoid(Span<float> z);

    /// <summary>e^z over <paramref name="z"/> in place (length a multiple of 16; z clamped to [−87, 88]): the softmax's exponentials.</summary>
    public abstract void Exp(Span<float> z);
}

/// <summary>One optimiser step's constants: the rule, lr, μ of momentum, Adam's β's and bias corrections (as reciprocals).</summary>
internal readonly record struct UpdateStep(
    Optimizer Optimizer, float Rate, float Momentum,
    float Beta1, float Beta2, float OneMinusBeta1, float OneMinusBeta2, float InvC1, float InvC2, float Epsilon);

/// <summary>
/// The kernels, written once over <typeparamref name="S"/>'s vectors of <c>S.Width</c> floats. Register tiles are
/// 4 rows × <c>S.TileVectors</c> vectors (4 × 64 hidden units at AVX-512, 4 × 16 at AVX2, 4 × 16 on NEON, 4 × 8 on SSE) in
/// both big products, each with a 4 × 1 tail; the hidden-unit padding to 16 makes every width divide the layout exactly.
/// <c>S.TileVectors</c> is a constant per width, so the JIT drops the branches of the other tile shape. (Measured on this
/// machine with AVX-512 switched off, Trainer.Train, one thread: 4 × 2 tiles instead of 4 × 4, whose 16 accumulators
/// spill from AVX2's 16 registers, take D = 100, H = 256, B = 4096 from 42–52 to 56–59 GFLOP/s.)
/// </summary>
internal sealed class Kernels<S, TV>(string width) : Kernels
    where S : struct, ISimd<TV>
    where TV : struct
{
    private const int RowTile = ParameterLayout.RowTile;
    private const int GradientRowBlock = 64;

    public override string Width => width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // SIMD kernels: fully optimised from the first call, no tiering
    public override void Forward(ParameterLayout p, float[] theta, float[] xs, float[] activations, float[] z2, int rows)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(activations);
        int hp = p.Hp, w = S.Width;
        Product(ref MemoryMarshal.GetArrayDataReference(xs), p.Dp, ref MemoryMarshal.GetArrayDataReference(theta), ref theta[p.OB1], ref a, hp, rows);
        Sigmoid(activations.AsSpan(0, rows * hp));                  // a1 = σ(z1)
        if (p.K != 1)
        {
            return;                                                 // K logits per row: Logits, a tiled product
        }

        ref float w2 = ref theta[p.OW2];
        float b2 = theta[p.OB2];
        for (int b = 0; b < rows; b++)
        {
            TV sum = S.Broadcast(0f);
            for (int h = 0; h < hp; h += w)
            {
                sum = S.MultiplyAdd(S.Load(ref a, (nuint)(b * hp + h)), S.Load(ref w2, (nuint)h), sum);
            }

            z2[b] = S.Sum(sum) + b2;                                // z2 = w2 · a1 + b2
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Product(float[] x, int dp, float[] weights, float[] bias, float[] c, int hp, int rows) =>
        Product(ref MemoryMarshal.GetArrayDataReference(x), dp, ref MemoryMarshal.GetArrayDataReference(weights),
            ref MemoryMarshal.GetArrayDataReference(bias), ref MemoryMarshal.GetArrayDataReference(c), hp, rows);

    /// <summary>
    /// C = X W + bias for <paramref name="rows"/> rows (a multiple of the row tile): X is rows × <paramref name="dp"/>,
    /// W is dp × <paramref name="hp"/>, C and the bias rows of hp; 4-row register tiles. The forward pass's z1 = X w1ᵀ + b1,
    /// the multiclass head's logits A W2ᵀ + b2 and its W2ᵀ δ2 for every row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product(ref float x, int dp, ref float weights, ref float bias, ref float c, int hp, int rows)
    {
        int w = S.Width;
        // Hidden units outer, rows inner: a column block of W (dp × 4 vectors) stays in L1 while every row tile passes
        // over it, instead of streaming all of W from L2 once per row tile.
        int h0 = 0;
        for (; S.TileVectors == 2 && h0 + 2 * w <= hp; h0 += 2 * w)
        {
            for (int b0 = 0; b0 < rows; b0 += RowTile)
            {
                ForwardTile4x2(ref Unsafe.Add(ref x, b0 * dp), ref Unsafe.Add(ref weights, h0), ref Unsafe.Add(ref bias, h0), ref Unsafe.Add(ref c, b0 * hp + h0), dp, hp);
            }
        }

        for (; h0 + 4 * w <= hp; h0 += 4 * w)
        {
            for (int b0 = 0; b0 < rows; b0 += RowTile)
            {
                ForwardTile4x4(ref Unsafe.Add(ref x, b0 * dp), ref Unsafe.Add(ref weights, h0), ref Unsafe.Add(ref bias, h0), ref Unsafe.Add(ref c, b0 * hp + h0), dp, hp);
            }
        }

        for (; h0 < hp; h0 += w)
        {
            for (int b0 = 0; b0 < rows; b0 += RowTile)
            {
                ForwardTile4x1(ref Unsafe.Add(ref x, b0 * dp), ref Unsafe.Add(ref weights, h0), ref Unsafe.Add(ref bias, h0), ref Unsafe.Add(ref c, b0 * hp + h0), dp, hp);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ForwardRow(ParameterLayout p, float[] theta, ReadOnlySpan<float> xs, float[] activations, Span<float> z2)
    {
        ref float x = ref MemoryMarshal.GetReference(xs);
        ref float w1t = ref MemoryMarshal.GetArrayDataReference(theta);
        ref float a = ref MemoryMarshal.GetArrayDataReference(activations);
        int d = xs.Length, hp = p.Hp, w = S.Width;
        int h0 = 0;
        for (; h0 + 4 * w <= hp; h0 += 4 * w)
        {
            // Four vectors of hidden units at a time: four independent FMA chains along D.
            ref float column = ref Unsafe.Add(ref w1t, h0);
            ref float b1 = ref theta[p.OB1 + h0];
            nuint v = (nuint)w;
            TV c0 = S.Load(ref b1, 0), c1 = S.Load(ref b1, v), c2 = S.Load(ref b1, 2 * v), c3 = S.Load(ref b1, 3 * v);
            for (int j = 0; j < d; j++)
            {
                TV xj = S.Broadcast(Unsafe.Add(ref x, j));
                ref float wj = ref Unsafe.Add(ref column, j * hp);
                c0 = S.MultiplyAdd(xj, S.Load(ref wj, 0), c0);              // z1 = w1 · x + b1
                c1 = S.MultiplyAdd(xj, S.Load(ref wj, v), c1);
                c2 = S.MultiplyAdd(xj, S.Load(ref wj, 2 * v), c2);
                c3 = S.MultiplyAdd(xj, S.Load(ref wj, 3 * v), c3);
            }

            S.Store(c0, ref a, (nuint)h0); S.Store(c1, ref a, (nuint)h0 + v); S.Store(c2, ref a, (nuint)h0 + 2 * v); S.Store(c3, ref a, (nuint)h0 + 3 * v);
        }

        for (; h0 < hp; h0 += w)
        {
            ref float column = ref Unsafe.Add(ref w1t, h0);
            TV c = S.Load(ref theta[p.OB1 + h0], 0);
            for (int j = 0; j < d; j++)
            {
                c = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref x, j)), S.Load(ref Unsafe.Add(ref column, j * hp), 0), c);
            }

            S.Store(c, ref a, (nuint)h0);
        }

        Sigmoid(activations.AsSpan(0, hp));                                 // a1 = σ(z1)
        ref float w2 = ref theta[p.OW2];
        for (int k = 0; k < p.K; k++)
        {
            TV sum = S.Broadcast(0f);
            for (int h = 0; h < hp; h += w)
            {
                sum = S.MultiplyAdd(S.Load(ref a, (nuint)h), S.Load(ref w2, (nuint)(k * hp + h)), sum);
            }

            z2[k] = S.Sum(sum) + theta[p.OB2 + k];                          // z2 = w2 · a1 + b2
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ParameterLayout p, float[] theta, float[] x, float[] activations, float[] delta2s, int rows, Span<float> grad, float[] back, float[] zeros)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(activations);
        ref float w2 = ref theta[p.OW2];
        ref float gw2 = ref grad[p.OW2];
        ref float gb1 = ref grad[p.OB1];
        int hp = p.Hp, w = S.Width;
        TV one = S.Broadcast(1f);
        if (p.K == 1)
        {
            for (int b = 0; b < rows; b++)
            {
                TV delta2 = S.Broadcast(delta2s[b]);
                for (int h = 0; h < hp; h += w)
                {
                    nuint i = (nuint)(b * hp + h);
                    TV a1 = S.Load(ref a, i);
                    // ∂J/∂w2 = Σ δ2 a1 (P2, P5)
                    S.Store(S.MultiplyAdd(delta2, a1, S.Load(ref gw2, (nuint)h)), ref gw2, (nuint)h);
                    // δ1 = δ2 w2 ⊙ a1 ⊙ (1 − a1) (P3, P6)
                    TV delta1 = S.Multiply(S.Multiply(S.Multiply(delta2, S.Load(ref w2, (nuint)h)), a1), S.Subtract(one, a1));
                    S.Store(delta1, ref a, i);
                    // ∂J/∂b1 = Σ δ1
                    S.Store(S.Add(S.Load(ref gb1, (nuint)h), delta1), ref gb1, (nuint)h);
                }
            }
        }
        else
        {
            // K outputs (M4): Δ2 is rows × Kr (K padded to the row tile with zeros), W2 is Kr × Hp.
            // ∂J/∂W2 = Σ δ2 a1ᵀ = Δ2ᵀ A: the register tiles of ∂J/∂w1, with Δ2 in the place of X.
            WeightGradient(delta2s, p.Kr, activations, hp, rows, grad[p.OW2..]);
            // W2ᵀ δ2 for every row, Back = Δ2 W2: the forward pass's register tiles, with a zero bias.
            Product(ref MemoryMarshal.GetArrayDataReference(delta2s), p.Kr, ref w2, ref MemoryMarshal.GetArrayDataReference(zeros),
                ref MemoryMarshal.GetArrayDataReference(back), hp, rows);
            ref float backs = ref MemoryMarshal.GetArrayDataReference(back);
            for (int i = 0; i < rows * hp; i += w)
            {
                TV a1 = S.Load(ref a, (nuint)i);
                // δ1 = (W2ᵀ δ2) ⊙ a1 ⊙ (1 − a1) (M4)
                TV delta1 = S.Multiply(S.Multiply(S.Load(ref backs, (nuint)i), a1), S.Subtract(one, a1));
                S.Store(delta1, ref a, (nuint)i);
                // ∂J/∂b1 = Σ δ1
                nuint h = (nuint)(i % hp);
                S.Store(S.Add(S.Load(ref gb1, h), delta1), ref gb1, h);
            }
        }

        // ∂J/∂w1 = Σ δ1 xᵀ (P3 with errata E5, P6), stored transposed: G[j, h] += Σ_b X[b, j] Δ1[b, h].
        WeightGradient(x, p.Dp, activations, hp, rows, grad);
    }

    /// <summary>
    /// G += Xᵀ Δ over the first <paramref name="rows"/> rows: X is rows × <paramref name="dp"/> (a multiple of the row
    /// tile), Δ rows × <paramref name="hp"/>, G dp × hp at the start of <paramref name="grad"/>. ∂J/∂w1ᵀ = Xᵀ Δ1 (Δ1 in A),
    /// and the multiclass head's ∂J/∂W2 = Δ2ᵀ A.
    /// </summary>
    private static void WeightGradient(float[] xs, int dp, float[] deltas, int hp, int rows, Span<float> grad)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(xs);
        ref float delta1 = ref MemoryMarshal.GetArrayDataReference(deltas);
        ref float g = ref MemoryMarshal.GetReference(grad);
        int w = S.Width;
        // Blocks of 64 rows × 4 vectors of Δ1 and 64 rows of X stay in L1 while all Dp/4 tiles of inputs pass over them;
        // the gradient tiles are loaded and stored once per block.
        for (int r0 = 0; r0 < rows; r0 += GradientRowBlock)
        {
            int count = Math.Min(GradientRowBlock, rows - r0);
            ref float xBlock = ref Unsafe.Add(ref x, r0 * dp);
            ref float dBlock = ref Unsafe.Add(ref delta1, r0 * hp);
            int h0 = 0;
            for (; S.TileVectors == 2 && h0 + 2 * w <= hp; h0 += 2 * w)
            {
                for (int j0 = 0; j0 < dp; j0 += RowTile)
                {
                    GradientTile4x2(ref Unsafe.Add(ref xBlock, j0), ref Unsafe.Add(ref dBlock, h0), ref Unsafe.Add(ref g, j0 * hp + h0), count, dp, hp);
                }
            }

            for (; h0 + 4 * w <= hp; h0 += 4 * w)
            {
                for (int j0 = 0; j0 < dp; j0 += RowTile)
                {
                    GradientTile4x4(ref Unsafe.Add(ref xBlock, j0), ref Unsafe.Add(ref dBlock, h0), ref Unsafe.Add(ref g, j0 * hp + h0), count, dp, hp);
                }
            }

            for (; h0 < hp; h0 += w)
            {
                for (int j0 = 0; j0 < dp; j0 += RowTile)
                {
                    GradientTile4x1(ref Unsafe.Add(ref xBlock, j0), ref Unsafe.Add(ref dBlock, h0), ref Unsafe.Add(ref g, j0 * hp + h0), count, dp, hp);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardTile4x4(ref float x, ref float w1t, ref float b1, ref float a, int dpInt, int hpInt)
    {
        nuint v = (nuint)S.Width, dp = (nuint)dpInt, hp = (nuint)hpInt;
        TV bias0 = S.Load(ref b1, 0), bias1 = S.Load(ref b1, v), bias2 = S.Load(ref b1, 2 * v), bias3 = S.Load(ref b1, 3 * v);
        TV c00 = bias0, c01 = bias1, c02 = bias2, c03 = bias3;
        TV c10 = bias0, c11 = bias1, c12 = bias2, c13 = bias3;
        TV c20 = bias0, c21 = bias1, c22 = bias2, c23 = bias3;
        TV c30 = bias0, c31 = bias1, c32 = bias2, c33 = bias3;
        for (nuint j = 0; j < dp; j++)
        {
            ref float wj = ref Unsafe.Add(ref w1t, j * hp);
            TV w0 = S.Load(ref wj, 0), w1 = S.Load(ref wj, v), w2 = S.Load(ref wj, 2 * v), w3 = S.Load(ref wj, 3 * v);
            TV x0 = S.Broadcast(Unsafe.Add(ref x, j));
            c00 = S.MultiplyAdd(x0, w0, c00); c01 = S.MultiplyAdd(x0, w1, c01); c02 = S.MultiplyAdd(x0, w2, c02); c03 = S.MultiplyAdd(x0, w3, c03);
            TV x1 = S.Broadcast(Unsafe.Add(ref x, dp + j));
            c10 = S.MultiplyAdd(x1, w0, c10); c11 = S.MultiplyAdd(x1, w1, c11); c12 = S.MultiplyAdd(x1, w2, c12); c13 = S.MultiplyAdd(x1, w3, c13);
            TV x2 = S.Broadcast(Unsafe.Add(ref x, 2 * dp + j));
            c20 = S.MultiplyAdd(x2, w0, c20); c21 = S.MultiplyAdd(x2, w1, c21); c22 = S.MultiplyAdd(x2, w2, c22); c23 = S.MultiplyAdd(x2, w3, c23);
            TV x3 = S.Broadcast(Unsafe.Add(ref x, 3 * dp + j));
            c30 = S.MultiplyAdd(x3, w0, c30); c31 = S.MultiplyAdd(x3, w1, c31); c32 = S.MultiplyAdd(x3, w2, c32); c33 = S.MultiplyAdd(x3, w3, c33);
        }

        S.Store(c00, ref a, 0); S.Store(c01, ref a, v); S.Store(c02, ref a, 2 * v); S.Store(c03, ref a, 3 * v);
        S.Store(c10, ref a, hp); S.Store(c11, ref a, hp + v); S.Store(c12, ref a, hp + 2 * v); S.Store(c13, ref a, hp + 3 * v);
        S.Store(c20, ref a, 2 * hp); S.Store(c21, ref a, 2 * hp + v); S.Store(c22, ref a, 2 * hp + 2 * v); S.Store(c23, ref a, 2 * hp + 3 * v);
        S.Store(c30, ref a, 3 * hp); S.Store(c31, ref a, 3 * hp + v); S.Store(c32, ref a, 3 * hp + 2 * v); S.Store(c33, ref a, 3 * hp + 3 * v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardTile4x2(ref float x, ref float w1t, ref float b1, ref float a, int dpInt, int hpInt)
    {
        nuint v = (nuint)S.Width, dp = (nuint)dpInt, hp = (nuint)hpInt;
        TV bias0 = S.Load(ref b1, 0), bias1 = S.Load(ref b1, v);
        TV c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1, c30 = bias0, c31 = bias1;
        for (nuint j = 0; j < dp; j++)
        {
            ref float wj = ref Unsafe.Add(ref w1t, j * hp);
            TV w0 = S.Load(ref wj, 0), w1 = S.Load(ref wj, v);
            TV x0 = S.Broadcast(Unsafe.Add(ref x, j));
            c00 = S.MultiplyAdd(x0, w0, c00); c01 = S.MultiplyAdd(x0, w1, c01);
            TV x1 = S.Broadcast(Unsafe.Add(ref x, dp + j));
            c10 = S.MultiplyAdd(x1, w0, c10); c11 = S.MultiplyAdd(x1, w1, c11);
            TV x2 = S.Broadcast(Unsafe.Add(ref x, 2 * dp + j));
            c20 = S.MultiplyAdd(x2, w0, c20); c21 = S.MultiplyAdd(x2, w1, c21);
            TV x3 = S.Broadcast(Unsafe.Add(ref x, 3 * dp + j));
            c30 = S.MultiplyAdd(x3, w0, c30); c31 = S.MultiplyAdd(x3, w1, c31);
        }

        S.Store(c00, ref a, 0); S.Store(c01, ref a, v);
        S.Store(c10, ref a, hp); S.Store(c11, ref a, hp + v);
        S.Store(c20, ref a, 2 * hp); S.Store(c21, ref a, 2 * hp + v);
        S.Store(c30, ref a, 3 * hp); S.Store(c31, ref a, 3 * hp + v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardTile4x1(ref float x, ref float w1t, ref float b1, ref float a, int dpInt, int hpInt)
    {
        nuint dp = (nuint)dpInt, hp = (nuint)hpInt;
        TV c0 = S.Load(ref b1, 0), c1 = c0, c2 = c0, c3 = c0;
        for (nuint j = 0; j < dp; j++)
        {
            TV w = S.Load(ref w1t, j * hp);
            c0 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref x, j)), w, c0);
            c1 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref x, dp + j)), w, c1);
            c2 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref x, 2 * dp + j)), w, c2);
            c3 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref x, 3 * dp + j)), w, c3);
        }

        S.Store(c0, ref a, 0); S.Store(c1, ref a, hp); S.Store(c2, ref a, 2 * hp); S.Store(c3, ref a, 3 * hp);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientTile4x4(ref float x, ref float delta1, ref float g, int rows, int dpInt, int hpInt)
    {
        nuint v = (nuint)S.Width, dp = (nuint)dpInt, hp = (nuint)hpInt;
        TV c00 = S.Load(ref g, 0), c01 = S.Load(ref g, v), c02 = S.Load(ref g, 2 * v), c03 = S.Load(ref g, 3 * v);
        TV c10 = S.Load(ref g, hp), c11 = S.Load(ref g, hp + v), c12 = S.Load(ref g, hp + 2 * v), c13 = S.Load(ref g, hp + 3 * v);
        TV c20 = S.Load(ref g, 2 * hp), c21 = S.Load(ref g, 2 * hp + v), c22 = S.Load(ref g, 2 * hp + 2 * v), c23 = S.Load(ref g, 2 * hp + 3 * v);
        TV c30 = S.Load(ref g, 3 * hp), c31 = S.Load(ref g, 3 * hp + v), c32 = S.Load(ref g, 3 * hp + 2 * v), c33 = S.Load(ref g, 3 * hp + 3 * v);
        for (nuint b = 0; b < (nuint)rows; b++)
        {
            ref float d1 = ref Unsafe.Add(ref delta1, b * hp);
            TV e0 = S.Load(ref d1, 0), e1 = S.Load(ref d1, v), e2 = S.Load(ref d1, 2 * v), e3 = S.Load(ref d1, 3 * v);
            ref float xb = ref Unsafe.Add(ref x, b * dp);
            TV x0 = S.Broadcast(xb);
            c00 = S.MultiplyAdd(x0, e0, c00); c01 = S.MultiplyAdd(x0, e1, c01); c02 = S.MultiplyAdd(x0, e2, c02); c03 = S.MultiplyAdd(x0, e3, c03);
            TV x1 = S.Broadcast(Unsafe.Add(ref xb, 1));
            c10 = S.MultiplyAdd(x1, e0, c10); c11 = S.MultiplyAdd(x1, e1, c11); c12 = S.MultiplyAdd(x1, e2, c12); c13 = S.MultiplyAdd(x1, e3, c13);
            TV x2 = S.Broadcast(Unsafe.Add(ref xb, 2));
            c20 = S.MultiplyAdd(x2, e0, c20); c21 = S.MultiplyAdd(x2, e1, c21); c22 = S.MultiplyAdd(x2, e2, c22); c23 = S.MultiplyAdd(x2, e3, c23);
            TV x3 = S.Broadcast(Unsafe.Add(ref xb, 3));
            c30 = S.MultiplyAdd(x3, e0, c30); c31 = S.MultiplyAdd(x3, e1, c31); c32 = S.MultiplyAdd(x3, e2, c32); c33 = S.MultiplyAdd(x3, e3, c33);
        }

        S.Store(c00, ref g, 0); S.Store(c01, ref g, v); S.Store(c02, ref g, 2 * v); S.Store(c03, ref g, 3 * v);
        S.Store(c10, ref g, hp); S.Store(c11, ref g, hp + v); S.Store(c12, ref g, hp + 2 * v); S.Store(c13, ref g, hp + 3 * v);
        S.Store(c20, ref g, 2 * hp); S.Store(c21, ref g, 2 * hp + v); S.Store(c22, ref g, 2 * hp + 2 * v); S.Store(c23, ref g, 2 * hp + 3 * v);
        S.Store(c30, ref g, 3 * hp); S.Store(c31, ref g, 3 * hp + v); S.Store(c32, ref g, 3 * hp + 2 * v); S.Store(c33, ref g, 3 * hp + 3 * v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientTile4x2(ref float x, ref float delta1, ref float g, int rows, int dpInt, int hpInt)
    {
        nuint v = (nuint)S.Width, dp = (nuint)dpInt, hp = (nuint)hpInt;
        TV c00 = S.Load(ref g, 0), c01 = S.Load(ref g, v), c10 = S.Load(ref g, hp), c11 = S.Load(ref g, hp + v);
        TV c20 = S.Load(ref g, 2 * hp), c21 = S.Load(ref g, 2 * hp + v), c30 = S.Load(ref g, 3 * hp), c31 = S.Load(ref g, 3 * hp + v);
        for (nuint b = 0; b < (nuint)rows; b++)
        {
            ref float d1 = ref Unsafe.Add(ref delta1, b * hp);
            TV e0 = S.Load(ref d1, 0), e1 = S.Load(ref d1, v);
            ref float xb = ref Unsafe.Add(ref x, b * dp);
            TV x0 = S.Broadcast(xb);
            c00 = S.MultiplyAdd(x0, e0, c00); c01 = S.MultiplyAdd(x0, e1, c01);
            TV x1 = S.Broadcast(Unsafe.Add(ref xb, 1));
            c10 = S.MultiplyAdd(x1, e0, c10); c11 = S.MultiplyAdd(x1, e1, c11);
            TV x2 = S.Broadcast(Unsafe.Add(ref xb, 2));
            c20 = S.MultiplyAdd(x2, e0, c20); c21 = S.MultiplyAdd(x2, e1, c21);
            TV x3 = S.Broadcast(Unsafe.Add(ref xb, 3));
            c30 = S.MultiplyAdd(x3, e0, c30); c31 = S.MultiplyAdd(x3, e1, c31);
        }

        S.Store(c00, ref g, 0); S.Store(c01, ref g, v); S.Store(c10, ref g, hp); S.Store(c11, ref g, hp + v);
        S.Store(c20, ref g, 2 * hp); S.Store(c21, ref g, 2 * hp + v); S.Store(c30, ref g, 3 * hp); S.Store(c31, ref g, 3 * hp + v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientTile4x1(ref float x, ref float delta1, ref float g, int rows, int dpInt, int hpInt)
    {
        nuint dp = (nuint)dpInt, hp = (nuint)hpInt;
        TV c0 = S.Load(ref g, 0), c1 = S.Load(ref g, hp), c2 = S.Load(ref g, 2 * hp), c3 = S.Load(ref g, 3 * hp);
        for (nuint b = 0; b < (nuint)rows; b++)
        {
            TV e = S.Load(ref delta1, b * hp);
            ref float xb = ref Unsafe.Add(ref x, b * dp);
            c0 = S.MultiplyAdd(S.Broadcast(xb), e, c0);
            c1 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref xb, 1)), e, c1);
            c2 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref xb, 2)), e, c2);
            c3 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref xb, 3)), e, c3);
        }

        S.Store(c0, ref g, 0); S.Store(c1, ref g, hp); S.Store(c2, ref g, 2 * hp); S.Store(c3, ref g, 3 * hp);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Add(float[] sources, float[] targets, int start, int count)
    {
        ref float source = ref sources[start];
        ref float target = ref targets[start];
        for (nuint i = 0; i < (nuint)count; i += (nuint)S.Width)
        {
            S.Store(S.Add(S.Load(ref target, i), S.Load(ref source, i)), ref target, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void AddL2(float[] thetas, float[] grads, float l2, int start, int count)
    {
        ref float theta = ref thetas[start];
        ref float grad = ref grads[start];
        TV lambda = S.Broadcast(l2);
        for (nuint i = 0; i < (nuint)count; i += (nuint)S.Width)
        {
            S.Store(S.MultiplyAdd(S.Load(ref theta, i), lambda, S.Load(ref grad, i)), ref grad, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update(in UpdateStep step, float[] thetas, float[] grads, float[] ms, float[] vs, int start, int count)
    {
        ref float theta = ref thetas[start];
        ref float grad = ref grads[start];
        ref float m = ref ms[start];
        ref float v = ref vs[start];
        nuint n = (nuint)count, w = (nuint)S.Width;
        switch (step.Optimizer)
        {
            case Optimizer.Sgd:
                TV minusRate = S.Broadcast(-step.Rate);
                for (nuint i = 0; i < n; i += w)
                {
                    S.Store(S.MultiplyAdd(S.Load(ref grad, i), minusRate, S.Load(ref theta, i)), ref theta, i);   // θ ← θ − lr g
                }

                break;
            case Optimizer.Momentum:
                TV mu = S.Broadcast(step.Momentum), negativeRate = S.Broadcast(-step.Rate);
                for (nuint i = 0; i < n; i += w)
                {
                    TV velocity = S.MultiplyAdd(S.Load(ref grad, i), negativeRate, S.Multiply(S.Load(ref m, i), mu));  // v ← μ v − lr g
                    S.Store(velocity, ref m, i);
                    S.Store(S.Add(S.Load(ref theta, i), velocity), ref theta, i);                               // θ ← θ + v
                }

                break;
            default:
                TV beta1 = S.Broadcast(step.Beta1), beta2 = S.Broadcast(step.Beta2);
                TV oneMinusBeta1 = S.Broadcast(step.OneMinusBeta1), oneMinusBeta2 = S.Broadcast(step.OneMinusBeta2);
                TV invC1 = S.Broadcast(step.InvC1), invC2 = S.Broadcast(step.InvC2), eps = S.Broadcast(step.Epsilon), rate = S.Broadcast(step.Rate);
                for (nuint i = 0; i < n; i += w)
                {
                    TV g = S.Load(ref grad, i);
                    TV mi = S.Add(S.Multiply(beta1, S.Load(ref m, i)), S.Multiply(oneMinusBeta1, g));            // m ← β1 m + (1 − β1) g
                    TV vi = S.Add(S.Multiply(beta2, S.Load(ref v, i)), S.Multiply(S.Multiply(oneMinusBeta2, g), g)); // v ← β2 v + (1 − β2) g²
                    S.Store(mi, ref m, i);
                    S.Store(vi, ref v, i);
                    TV delta = S.Divide(S.Multiply(rate, S.Multiply(mi, invC1)), S.Add(S.Sqrt(S.Multiply(vi, invC2)), eps));
                    S.Store(S.Subtract(S.Load(ref theta, i), delta), ref theta, i);                               // θ ← θ − lr m̂ / (√v̂ + ε)
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
    public override void Sigmoid(Span<float> z)
    {
        ref float r = ref MemoryMarshal.GetReference(z);
        TV one = S.Broadcast(1f), low = S.Broadcast(-87f), high = S.Broadcast(88f);
        for (nuint i = 0; i < (nuint)z.Length; i += (nuint)S.Width)
        {
            TV x = S.Clamp(S.Negate(S.Load(ref r, i)), low, high);
            S.Store(S.Divide(one, S.Add(one, Exp(x))), ref r, i);
        }
    }

    /// <summary>e^z in place, with the polynomial of <see cref="Sigmoid"/> (relative error &lt; 2e-7; z clamped to [−87, 88]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Exp(Span<float> z)
    {
        ref float r = ref MemoryMarshal.GetReference(z);
        TV low = S.Broadcast(-87f), high = S.Broadcast(88f);
        for (nuint i = 0; i < (nuint)z.Length; i += (nuint)S.Width)
        {
            S.Store(Exp(S.Clamp(S.Load(ref r, i), low, high)), ref r, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Exp(TV x)
    {
        TV n = S.Round(S.Multiply(x, S.Broadcast(1.44269504f)));                    // x / ln 2
        TV t = S.MultiplyAdd(n, S.Broadcast(-0.693359375f), x);                      // ln 2, high part
        t = S.MultiplyAdd(n, S.Broadcast(2.12194440e-4f), t);                        // ln 2, low part
        TV p = S.Broadcast(1f / 720);
        p = S.MultiplyAdd(p, t, S.Broadcast(1f / 120));
        p = S.MultiplyAdd(p, t, S.Broadcast(1f / 24));
        p = S.MultiplyAdd(p, t, S.Broadcast(1f / 6));
        p = S.MultiplyAdd(p, t, S.Broadcast(0.5f));
        p = S.MultiplyAdd(p, t, S.Broadcast(1f));
        p = S.MultiplyAdd(p, t, S.Broadcast(1f));
        return S.Multiply(p, S.Pow2(n));                                              // 2^n
    }
}

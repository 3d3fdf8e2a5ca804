using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyNet;

/// <summary>The network passes over a chunk of rows: the forward pass (P1), the logits of K outputs, one row's forward pass, and the backward pass with each boxed quantity (P2, P3, P5, P6; M4).</summary>
internal sealed partial class Kernels<S, TV>
{
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
}

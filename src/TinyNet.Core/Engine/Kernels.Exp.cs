using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyNet;

/// <summary>The vectorised exponential and sigmoid (a1 = σ(z1), P1; the softmax's e^z, M1).</summary>
internal sealed partial class Kernels<S, TV>
{
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

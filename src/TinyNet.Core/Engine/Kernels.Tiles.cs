using System.Runtime.CompilerServices;

namespace TinyNet;

/// <summary>The register tiles the passes run on: 4 rows × 4, 2 or 1 vectors of hidden units, for the forward products and the ∂J/∂w1 sums.</summary>
internal sealed partial class Kernels<S, TV>
{
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
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyNet;

/// <summary>
/// The handful of vector operations the fast engine's kernels use, over one vector type <typeparamref name="TV"/> of
/// <see cref="Width"/> floats. The kernels (<see cref="Kernels{S, TV}"/>) are written once, generic over an implementation
/// of this interface; the JIT specialises them per struct, so each width runs its own straight-line code with no
/// indirection. Implementations: <see cref="Simd512"/> (AVX-512), <see cref="Simd256"/> (AVX2), <see cref="Simd128"/>
/// (Arm64 NEON, SSE-only x86) and <see cref="SimdScalar"/> (no SIMD accelerated).
/// </summary>
internal interface ISimd<TV>
    where TV : struct
{
    static abstract int Width { get; }

    /// <summary>
    /// Vectors per row in the kernels' register tiles (4 rows × this): 4 where there are 32 vector registers (AVX-512,
    /// NEON), 2 where there are 16 (AVX2, SSE), so that the 4 × TileVectors accumulators, the weights and a broadcast fit
    /// without spilling.
    /// </summary>
    static abstract int TileVectors { get; }

    static abstract TV Load(ref float source, nuint offset);

    static abstract void Store(TV value, ref float destination, nuint offset);

    static abstract TV Broadcast(float value);

    /// <summary>a · b + c, fused where the hardware has FMA (the same bits as FusedMultiplyAdd there).</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Divide(TV a, TV b);

    static abstract TV Sqrt(TV a);

    static abstract TV Negate(TV a);

    static abstract TV Clamp(TV a, TV min, TV max);

    static abstract TV Round(TV a);

    /// <summary>2^n for n a whole number in [−126, 127] held as a float.</summary>
    static abstract TV Pow2(TV n);

    static abstract float Sum(TV a);
}

/// <summary>Vector512 (AVX-512): 16 floats.</summary>
internal readonly struct Simd512 : ISimd<Vector512<float>>
{
    public static int Width => 16;

    public static int TileVectors => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Negate(Vector512<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Clamp(Vector512<float> a, Vector512<float> min, Vector512<float> max) => Vector512.Clamp(a, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round(Vector512<float> a) => Vector512.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Pow2(Vector512<float> n) =>
        Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> a) => Vector512.Sum(a);
}

/// <summary>Vector256 (AVX2 + FMA): 8 floats.</summary>
internal readonly struct Simd256 : ISimd<Vector256<float>>
{
    public static int Width => 8;

    public static int TileVectors => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Negate(Vector256<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Clamp(Vector256<float> a, Vector256<float> min, Vector256<float> max) => Vector256.Clamp(a, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round(Vector256<float> a) => Vector256.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Pow2(Vector256<float> n) =>
        Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> a) => Vector256.Sum(a);
}

/// <summary>Vector128 (Arm64 NEON, SSE-only x86): 4 floats.</summary>
internal readonly struct Simd128 : ISimd<Vector128<float>>
{
    public static int Width => 4;

    public static int TileVectors => System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported ? 4 : 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Negate(Vector128<float> a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Clamp(Vector128<float> a, Vector128<float> min, Vector128<float> max) => Vector128.Clamp(a, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> a) => Vector128.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Pow2(Vector128<float> n) =>
        Vector128.ShiftLeft(Vector128.ConvertToInt32(n) + Vector128.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> a) => Vector128.Sum(a);
}

/// <summary>One float at a time, for runtimes with no accelerated SIMD (DOTNET_EnableHWIntrinsic=0, exotic CPUs): correct, slow.</summary>
internal readonly struct SimdScalar : ISimd<float>
{
    public static int Width => 1;

    public static int TileVectors => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float a, float b, float c) => float.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Divide(float a, float b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sqrt(float a) => MathF.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Negate(float a) => -a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Clamp(float a, float min, float max) => Math.Min(Math.Max(a, min), max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Round(float a) => MathF.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Pow2(float n) => BitConverter.Int32BitsToSingle(((int)n + 127) << 23);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(float a) => a;
}

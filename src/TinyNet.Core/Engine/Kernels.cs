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

/// <summary>
/// The kernels, written once over <typeparamref name="S"/>'s vectors of <c>S.Width</c> floats. Register tiles are
/// 4 rows × <c>S.TileVectors</c> vectors (4 × 64 hidden units at AVX-512, 4 × 16 at AVX2, 4 × 16 on NEON, 4 × 8 on SSE) in
/// both big products, each with a 4 × 1 tail; the hidden-unit padding to 16 makes every width divide the layout exactly.
/// <c>S.TileVectors</c> is a constant per width, so the JIT drops the branches of the other tile shape. (Measured on this
/// machine with AVX-512 switched off, Trainer.Train, one thread: 4 × 2 tiles instead of 4 × 4, whose 16 accumulators
/// spill from AVX2's 16 registers, take D = 100, H = 256, B = 4096 from 42–52 to 56–59 GFLOP/s.)
/// </summary>
internal sealed partial class Kernels<S, TV>(string width) : Kernels
    where S : struct, ISimd<TV>
    where TV : struct
{
    private const int RowTile = ParameterLayout.RowTile;
    private const int GradientRowBlock = 64;

    public override string Width => width;
}

using System.Runtime.CompilerServices;

namespace TinyNet;

/// <summary>Plain gradient descent, the notes' rule (P4): θ ← θ − lr · ∂J/∂θ.</summary>
internal sealed class SgdRule : UpdateRule
{
    public override void Update(Span<double> theta, ReadOnlySpan<double> g, Span<double> m, Span<double> v, double lr, long step)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            theta[i] -= lr * g[i];                                   // θ ← θ − lr · ∂J/∂θ
        }
    }

    public override UpdateStep Step(double learningRate, long step) => new(this, (float)learningRate);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update<S, TV>(in UpdateStep step, float[] thetas, float[] grads, float[] ms, float[] vs, int start, int count)
    {
        ref float theta = ref thetas[start];
        ref float grad = ref grads[start];
        nuint n = (nuint)count, w = (nuint)S.Width;
        TV minusRate = S.Broadcast(-step.Rate);
        for (nuint i = 0; i < n; i += w)
        {
            S.Store(S.MultiplyAdd(S.Load(ref grad, i), minusRate, S.Load(ref theta, i)), ref theta, i);   // θ ← θ − lr g
        }
    }
}

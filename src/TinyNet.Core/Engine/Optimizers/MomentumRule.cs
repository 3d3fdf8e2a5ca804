using System.Runtime.CompilerServices;

namespace TinyNet;

/// <summary>Gradient descent with momentum μ: v ← μ v − lr · g, θ ← θ + v (v, the velocity, is the state m).</summary>
internal sealed class MomentumRule(double momentum) : UpdateRule
{
    public override void Update(Span<double> theta, ReadOnlySpan<double> g, Span<double> m, Span<double> v, double lr, long step)
    {
        double mu = momentum;
        for (int i = 0; i < theta.Length; i++)
        {
            m[i] = mu * m[i] - lr * g[i];                            // v ← μ v − lr · g
            theta[i] += m[i];                                        // θ ← θ + v
        }
    }

    public override UpdateStep Step(double learningRate, long step) => new(this, (float)learningRate, (float)momentum);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update<S, TV>(in UpdateStep step, float[] thetas, float[] grads, float[] ms, float[] vs, int start, int count)
    {
        ref float theta = ref thetas[start];
        ref float grad = ref grads[start];
        ref float m = ref ms[start];
        nuint n = (nuint)count, w = (nuint)S.Width;
        TV mu = S.Broadcast(step.Momentum), negativeRate = S.Broadcast(-step.Rate);
        for (nuint i = 0; i < n; i += w)
        {
            TV velocity = S.MultiplyAdd(S.Load(ref grad, i), negativeRate, S.Multiply(S.Load(ref m, i), mu));  // v ← μ v − lr g
            S.Store(velocity, ref m, i);
            S.Store(S.Add(S.Load(ref theta, i), velocity), ref theta, i);                               // θ ← θ + v
        }
    }
}

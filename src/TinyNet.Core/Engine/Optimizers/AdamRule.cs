using System.Runtime.CompilerServices;

namespace TinyNet;

/// <summary>
/// Adam (Kingma and Ba, 2015): m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², θ ← θ − lr m̂ / (√v̂ + ε) with the bias
/// corrections m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ) at step t.
/// </summary>
internal sealed class AdamRule(double beta1, double beta2, double epsilon) : UpdateRule
{
    public override void Update(Span<double> theta, ReadOnlySpan<double> g, Span<double> m, Span<double> v, double lr, long step)
    {
        double c1 = 1.0 - Math.Pow(beta1, step);
        double c2 = 1.0 - Math.Pow(beta2, step);
        for (int i = 0; i < theta.Length; i++)
        {
            m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            theta[i] -= lr * mHat / (Math.Sqrt(vHat) + epsilon);
        }
    }

    public override UpdateStep Step(double learningRate, long step) => new(
        this, (float)learningRate, 0,
        (float)beta1, (float)beta2, (float)(1 - beta1), (float)(1 - beta2),
        (float)(1 / (1 - Math.Pow(beta1, step))), (float)(1 / (1 - Math.Pow(beta2, step))),
        (float)epsilon);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Update<S, TV>(in UpdateStep step, float[] thetas, float[] grads, float[] ms, float[] vs, int start, int count)
    {
        ref float theta = ref thetas[start];
        ref float grad = ref grads[start];
        ref float m = ref ms[start];
        ref float v = ref vs[start];
        nuint n = (nuint)count, w = (nuint)S.Width;
        TV b1 = S.Broadcast(step.Beta1), b2 = S.Broadcast(step.Beta2);
        TV oneMinusBeta1 = S.Broadcast(step.OneMinusBeta1), oneMinusBeta2 = S.Broadcast(step.OneMinusBeta2);
        TV invC1 = S.Broadcast(step.InvC1), invC2 = S.Broadcast(step.InvC2), eps = S.Broadcast(step.Epsilon), rate = S.Broadcast(step.Rate);
        for (nuint i = 0; i < n; i += w)
        {
            TV g = S.Load(ref grad, i);
            TV mi = S.Add(S.Multiply(b1, S.Load(ref m, i)), S.Multiply(oneMinusBeta1, g));            // m ← β1 m + (1 − β1) g
            TV vi = S.Add(S.Multiply(b2, S.Load(ref v, i)), S.Multiply(S.Multiply(oneMinusBeta2, g), g)); // v ← β2 v + (1 − β2) g²
            S.Store(mi, ref m, i);
            S.Store(vi, ref v, i);
            TV delta = S.Divide(S.Multiply(rate, S.Multiply(mi, invC1)), S.Add(S.Sqrt(S.Multiply(vi, invC2)), eps));
            S.Store(S.Subtract(S.Load(ref theta, i), delta), ref theta, i);                               // θ ← θ − lr m̂ / (√v̂ + ε)
        }
    }
}

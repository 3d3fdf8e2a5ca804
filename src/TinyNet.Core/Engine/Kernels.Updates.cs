using System.Runtime.CompilerServices;

namespace TinyNet;

/// <summary>The optimiser updates over slices of θ (P4 with the learning rate on every parameter, errata E7; momentum; Adam), the L2 term and the reduction's additions.</summary>
internal sealed partial class Kernels<S, TV>
{
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
}

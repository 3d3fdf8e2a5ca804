using System.Runtime.CompilerServices;

namespace TinyNet;

/// <summary>Over slices of θ: the reduction's additions, the L2 term, and the optimiser step (the rules are in <c>Engine/Optimizers/</c>).</summary>
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

    /// <summary>One optimiser step over θ[start, start + count): the step's rule, at this width (<see cref="UpdateRule"/>).</summary>
    public override void Update(in UpdateStep step, float[] thetas, float[] grads, float[] ms, float[] vs, int start, int count) =>
        step.Rule.Update<S, TV>(step, thetas, grads, ms, vs, start, count);
}

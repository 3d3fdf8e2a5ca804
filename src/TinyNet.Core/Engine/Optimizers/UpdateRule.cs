namespace TinyNet;

/// <summary>
/// An optimiser: the rule that turns the gradient g = ∂J/∂θ into the update of θ (P4, with the learning rate on every
/// parameter: errata E7), written twice side by side — in double for the reference engine, and over vectors of floats
/// for the fast engine — so that a new rule is one file. <see cref="Optimizer"/> names the rule in the options.
/// </summary>
internal abstract class UpdateRule
{
    /// <summary>The rule <paramref name="options"/> ask for, with their constants.</summary>
    public static UpdateRule For(TrainerOptions options) => options.Optimizer switch
    {
        Optimizer.Sgd => new SgdRule(),
        Optimizer.Momentum => new MomentumRule(options.Momentum),
        _ => new AdamRule(options.Beta1, options.Beta2, options.Epsilon),
    };

    /// <summary>
    /// Reference engine, double: updates one group of parameters <paramref name="theta"/> from its gradient at step
    /// <paramref name="step"/> (1 for the first) with learning rate <paramref name="lr"/>; <paramref name="m"/> and
    /// <paramref name="v"/> are the rule's state for the group (zero at the start).
    /// </summary>
    public abstract void Update(Span<double> theta, ReadOnlySpan<double> g, Span<double> m, Span<double> v, double lr, long step);

    /// <summary>The float constants of step <paramref name="step"/> at learning rate <paramref name="learningRate"/>, computed once and handed to the fast engine's workers.</summary>
    public abstract UpdateStep Step(double learningRate, long step);

    /// <summary>Fast engine, float: updates θ[start, start + count) (multiples of the vector width) in vectors of <typeparamref name="S"/>.</summary>
    public abstract void Update<S, TV>(in UpdateStep step, float[] theta, float[] grad, float[] m, float[] v, int start, int count)
        where S : struct, ISimd<TV>
        where TV : struct;
}

/// <summary>
/// One fast-engine step's update, as one value handed to the workers: the rule and its float constants (lr; μ of
/// momentum; Adam's β's, 1 − β's, bias corrections as reciprocals, ε). A rule reads the ones it needs.
/// </summary>
internal readonly record struct UpdateStep(
    UpdateRule Rule, float Rate, float Momentum = 0,
    float Beta1 = 0, float Beta2 = 0, float OneMinusBeta1 = 0, float OneMinusBeta2 = 0, float InvC1 = 0, float InvC2 = 0, float Epsilon = 0);

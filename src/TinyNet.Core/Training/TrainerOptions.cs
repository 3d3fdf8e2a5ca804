namespace TinyNet;

/// <summary>How the parameters move along the gradient g of the objective (see <see cref="Backprop.Objective(Network, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double, Gradients)"/>).</summary>
public enum Optimizer
{
    /// <summary>The notes' rule (P4), with the learning rate on every parameter (errata E7): θ ← θ − lr · g.</summary>
    Sgd = 0,

    /// <summary>Heavy-ball momentum: v ← μ v − lr · g; θ ← θ + v.</summary>
    Momentum = 1,

    /// <summary>Adam (Kingma and Ba, 2015) with bias correction: θ ← θ − lr · m̂ / (√v̂ + ε).</summary>
    Adam = 2,
}

/// <summary>Which implementation trains.</summary>
public enum Engine
{
    /// <summary>The float32 SIMD engine, data-parallel over <see cref="TrainerOptions.Threads"/> threads.</summary>
    Fast = 0,

    /// <summary>The double-precision reference that reads like the notes (<see cref="Backprop"/>); slow, exact.</summary>
    Reference = 1,
}

/// <summary>
/// Settings of <see cref="Trainer"/>. Each batch of B rows takes one step along the gradient of
/// J = (Σ sᵢ ℓᵢ) / (Σ sᵢ) + (λ/2)(‖w1‖² + ‖w2‖²): the (weighted) mean, not the notes' sum, so the learning rate means
/// the same for every batch size; with B = 1 it is exactly the notes' per-sample rule (P4, errata E7), and with B = N
/// the notes' summed rule with lr scaled by 1/N.
/// <para>
/// Sample weights sᵢ divide by their batch's sum Σ sᵢ (without weights Σ sᵢ = B, the batch's row count, also for the
/// last, shorter batch), as scikit-learn's MLP does since 1.7: weights express relative importance only, so multiplying
/// every weight by c changes nothing, and zero-weight rows do not dilute a batch. A batch whose weights are all 0 takes
/// no step. The L2 term enters every step in full, (λ/2)‖w‖² whatever the batch size and weights, so λ means the
/// same for every batch size too.
/// </para>
/// </summary>
public sealed class TrainerOptions
{
    /// <summary>The output layer and loss. Default <see cref="Head.Regression"/>.</summary>
    public Head Head { get; set; } = Head.Regression;

    /// <summary>H, the number of sigmoid hidden units; at least 1. Default 16.</summary>
    public int HiddenUnits { get; set; } = 16;

    /// <summary>The step size lr; finite and &gt; 0. Default 0.01 (suits Adam on standardised features).</summary>
    public double LearningRate { get; set; } = 0.01;

    /// <summary>Number of passes over the training data; at least 1. Default 100.</summary>
    public int Epochs { get; set; } = 100;

    /// <summary>B, the rows per step; at least 1 (1 = the notes' per-sample rule; larger than N = full batch). Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Seed of the initialisation (Glorot uniform, <see cref="Network.CreateRandom(int, int, Head, ulong)"/>) and of the shuffles. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Shuffle the rows at the start of every epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>The update rule. Default <see cref="TinyNet.Optimizer.Adam"/>.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Adam;

    /// <summary>μ of <see cref="TinyNet.Optimizer.Momentum"/>; in [0, 1). Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>β1 of Adam; in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>β2 of Adam; in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>ε of Adam; finite and &gt; 0. Default 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>λ, the L2 penalty (λ/2)(‖w1‖² + ‖w2‖²) on the weights (not the biases); ≥ 0. Default 0.</summary>
    public double L2Regularization { get; set; }

    /// <summary>
    /// Learning-rate decay: epoch e (from 1) uses lr / (1 + decay · (e − 1)); ≥ 0. Default 0 (constant).
    /// </summary>
    public double LearningRateDecay { get; set; }

    /// <summary>
    /// With a validation set: stop when the validation loss has not improved by more than
    /// <see cref="EarlyStoppingTolerance"/> for this many epochs, and return the best epoch's parameters.
    /// 0 turns early stopping off. Default 10.
    /// </summary>
    public int EarlyStoppingPatience { get; set; } = 10;

    /// <summary>The least decrease of the validation loss that counts as an improvement; ≥ 0. Default 1e-4.</summary>
    public double EarlyStoppingTolerance { get; set; } = 1e-4;

    /// <summary>
    /// When <see cref="Trainer.Train(DataSet, TrainerOptions, DataSet?, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// gets no validation set: hold out this fraction of the training rows (seeded by <see cref="Seed"/>, stratified by
    /// class for binary and multiclass classification, every class keeping a row in training) as one, for early stopping
    /// with the best epoch's parameters restored, as
    /// scikit-learn's MLP does with <c>early_stopping=True</c>. The held-out rows are not trained on. In [0, 1); 0, or
    /// <see cref="EarlyStoppingPatience"/> 0, trains on every row for <see cref="Epochs"/> epochs. Ignored when a
    /// validation set is passed. Default 0.
    /// </summary>
    public double ValidationFraction { get; set; }

    /// <summary>Which implementation trains. Default <see cref="TinyNet.Engine.Fast"/>.</summary>
    public Engine Engine { get; set; } = Engine.Fast;

    /// <summary>
    /// Threads of the fast engine; at least 1, or 0 for as many as pay off: one per core, of which each step uses only
    /// those that get at least 64 rows and 2^18 multiply-adds of the batch (below that the per-step hand-off costs more
    /// than it saves). More than <see cref="Environment.ProcessorCount"/> is clamped to it (more threads than cores only
    /// wait on each other). The same seed, data and thread count give a bit-identical model; so with 0, the same machine
    /// does. Default 0.
    /// </summary>
    public int Threads { get; set; }

    /// <summary>A copy of these options.</summary>
    public TrainerOptions Clone() => (TrainerOptions)MemberwiseClone();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option and its valid range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Head))
        {
            throw Invalid(nameof(Head), Head, "Regression, BinaryClassification or MulticlassClassification");
        }

        if (HiddenUnits < 1)
        {
            throw Invalid(nameof(HiddenUnits), HiddenUnits, "at least 1");
        }

        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
        {
            throw Invalid(nameof(LearningRate), LearningRate, "a finite number > 0, for example 0.01");
        }

        if (Epochs < 1)
        {
            throw Invalid(nameof(Epochs), Epochs, "at least 1");
        }

        if (BatchSize < 1)
        {
            throw Invalid(nameof(BatchSize), BatchSize, "at least 1 (1 = per-sample updates)");
        }

        if (!Enum.IsDefined(Optimizer))
        {
            throw Invalid(nameof(Optimizer), Optimizer, "Sgd, Momentum or Adam");
        }

        CheckUnitInterval(nameof(Momentum), Momentum);
        CheckUnitInterval(nameof(Beta1), Beta1);
        CheckUnitInterval(nameof(Beta2), Beta2);
        if (!double.IsFinite(Epsilon) || Epsilon <= 0)
        {
            throw Invalid(nameof(Epsilon), Epsilon, "a finite number > 0, for example 1e-8");
        }

        if (!double.IsFinite(L2Regularization) || L2Regularization < 0)
        {
            throw Invalid(nameof(L2Regularization), L2Regularization, "a finite number ≥ 0");
        }

        if (!double.IsFinite(LearningRateDecay) || LearningRateDecay < 0)
        {
            throw Invalid(nameof(LearningRateDecay), LearningRateDecay, "a finite number ≥ 0");
        }

        if (EarlyStoppingPatience < 0)
        {
            throw Invalid(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "≥ 0 (0 turns early stopping off)");
        }

        if (!double.IsFinite(EarlyStoppingTolerance) || EarlyStoppingTolerance < 0)
        {
            throw Invalid(nameof(EarlyStoppingTolerance), EarlyStoppingTolerance, "a finite number ≥ 0");
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw Invalid(nameof(ValidationFraction), ValidationFraction, "in [0, 1), for example 0.1 (0 holds nothing out)");
        }

        if (!Enum.IsDefined(Engine))
        {
            throw Invalid(nameof(Engine), Engine, "Fast or Reference");
        }

        if (Threads < 0)
        {
            throw Invalid(nameof(Threads), Threads, "≥ 1, or 0 for one per core");
        }
    }

    private static void CheckUnitInterval(string name, double value)
    {
        if (!(value >= 0 && value < 1))
        {
            throw Invalid(name, value, "in [0, 1)");
        }
    }

    private static ArgumentOutOfRangeException Invalid(string name, object value, string valid) =>
        new(name, value, $"{name} is {value}; it must be {valid}.");
}

using Microsoft.ML.SearchSpace;

namespace TinyNet.MLNet;

/// <summary>
/// Settings shared by <see cref="TinyNetBinaryTrainer"/>, <see cref="TinyNetRegressionTrainer"/> and <see cref="TinyNetMulticlassTrainer"/>. The tunable ones
/// carry ML.NET's search-space attributes (<see cref="RangeAttribute"/>, <see cref="ChoiceAttribute"/>) over the ranges
/// the defaults study found sensible (docs/defaults.md), so an AutoML sweep can tune TinyNet. The defaults differ by
/// task and are written once, in <see cref="TinyNetBinaryTrainer.Options.Defaults"/>,
/// <see cref="TinyNetRegressionTrainer.Options.Defaults"/> and <see cref="TinyNetMulticlassTrainer.Options.Defaults"/>
/// (chosen over 31 real data sets; see docs/defaults.md). TinyNet standardises its features itself (<see cref="StandardizeFeatures"/>), so any normaliser
/// before it, or none, gives the same model.
/// </summary>
public abstract class TinyNetTrainerOptions
{
    /// <summary>Sets the options a task's <c>Defaults</c> class gives.</summary>
    private protected TinyNetTrainerOptions(
        int numberOfHiddenUnits, float learningRate, int numberOfIterations, int batchSize, float l2Regularization,
        float validationFraction, int earlyStoppingPatience)
    {
        NumberOfHiddenUnits = numberOfHiddenUnits;
        LearningRate = learningRate;
        NumberOfIterations = numberOfIterations;
        BatchSize = batchSize;
        L2Regularization = l2Regularization;
        ValidationFraction = validationFraction;
        EarlyStoppingPatience = earlyStoppingPatience;
    }

    /// <summary>The label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: a known-size vector of Single. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>An optional column of non-negative Single sample weights. Default null (all 1).</summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>H, the number of sigmoid hidden units; at least 1. Default: the task's Defaults (32 binary, 16 regression, 32 multiclass).</summary>
    [Range(8, 128, 32, true)]
    public int NumberOfHiddenUnits { get; set; }

    /// <summary>The learning rate; finite and &gt; 0. Default: the task's Defaults (Adam 0.001 binary, 0.01 regression, 0.01 multiclass).</summary>
    [Range(3e-4f, 3e-2f, 3e-3f, true)]
    public float LearningRate { get; set; }

    /// <summary>
    /// The number of epochs (passes over the data), or the most of them with early stopping; at least 1. Default: the
    /// task's Defaults (at most 200 binary, 200 regression, 200 multiclass).
    /// </summary>
    [Range(20, 400, 200, true)]
    public int NumberOfIterations { get; set; }

    /// <summary>Rows per gradient step; at least 1. Default: the task's Defaults (32 for every task).</summary>
    [Range(16, 256, 32, true)]
    public int BatchSize { get; set; }

    /// <summary>
    /// Seed of the initialisation and of the shuffles. Default null: drawn from the MLContext's random source, as ML.NET's
    /// built-in trainers do, so <c>new MLContext(seed: 1)</c> makes training reproducible and another context seed gives
    /// another model (an MLContext without a seed gives a different model each run). Set it to fix the model whatever
    /// the context.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>The update rule: Sgd (the notes' rule), Momentum or Adam. Default Adam.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Adam;

    /// <summary>λ of the L2 penalty (λ/2)‖w‖² on the weights; ≥ 0. Default: the task's Defaults (1e-3 binary, 2e-3 regression, 1e-3 multiclass).</summary>
    [Range(1e-5f, 1e-2f, 1e-3f, true)]
    public float L2Regularization { get; set; }

    /// <summary>Learning-rate decay: epoch e uses lr / (1 + decay · (e − 1)); ≥ 0. Default 0.</summary>
    public float LearningRateDecay { get; set; }

    /// <summary>
    /// With <c>Fit(train, validation)</c>: stop after this many epochs without improvement of the validation loss and keep
    /// the best epoch's model; 0 turns early stopping off. The same applies to the rows <see cref="ValidationFraction"/>
    /// holds out and to each candidate of <see cref="TrainingProcedure.Adaptive"/> (which falls back to 50 when this is 0).
    /// Default: the task's Defaults (20 binary, 50 regression, 50 multiclass).
    /// </summary>
    [Range(5, 50, 10, true)]
    public int EarlyStoppingPatience { get; set; }

    /// <summary>The least decrease of the validation loss that counts as an improvement; ≥ 0. Default 1e-4.</summary>
    public float EarlyStoppingTolerance { get; set; } = 1e-4f;

    /// <summary>
    /// With <see cref="TrainingProcedure.Plain"/> and <c>Fit(train)</c> (no validation set): hold out this fraction of the training rows (seeded, stratified by class
    /// for classification) as the validation set for early stopping, and return the best epoch's model, as
    /// scikit-learn's MLP does with <c>early_stopping=True</c>. The held-out rows are not trained on. In [0, 1); 0 trains on
    /// every row for NumberOfIterations epochs. Ignored by <c>Fit(train, validation)</c>. Default: the task's Defaults
    /// (0.1 binary, 0 regression, 0 multiclass).
    /// </summary>
    [Choice(new object[] { 0f, 0.1f, 0.2f }, 0.1f)]
    public float ValidationFraction { get; set; }

    /// <summary>
    /// With <see cref="TrainingProcedure.Plain"/> and the hold-out of <see cref="ValidationFraction"/> (<c>Fit(train)</c>), let
    /// early stopping only choose the number of epochs (the adaptive procedure always does): after the run on the other rows picks its best epoch E, train again from the same starting network on
    /// every row for E epochs and return that model, so no row is left out of the final fit. About twice the training
    /// time. Ignored without a hold-out (<see cref="ValidationFraction"/> 0 or <c>Fit(train, validation)</c>). Default false.
    /// </summary>
    public bool RefitOnAllRows { get; set; }

    /// <summary>
    /// What Fit does with these options: <see cref="TrainingProcedure.Adaptive"/> lets a hold-out choose λ (of this
    /// <see cref="L2Regularization"/> ÷ 10, × 1, × 10) and the epoch count, then trains on every row;
    /// <see cref="TrainingProcedure.Plain"/> trains the notes' network once exactly as these options say. Default Adaptive.
    /// </summary>
    public TrainingProcedure Procedure { get; set; } = TrainingProcedure.Adaptive;

    /// <summary>
    /// The share of the training rows <see cref="TrainingProcedure.Adaptive"/> holds out (seeded, stratified by class) to
    /// choose λ and the epoch count on; in (0, 0.5]. Default 0.2.
    /// </summary>
    public float AdaptiveHoldOutFraction { get; set; } = 0.2f;

    /// <summary>
    /// Training threads; 0 for as many as pay off (one per core, each step using those that get at least 64 rows of the
    /// batch); more than the processor count is clamped to it. Default 0.
    /// </summary>
    public int NumberOfThreads { get; set; }

    /// <summary>
    /// Standardise every feature while training, (x − μ) / σ with the training rows' mean and standard deviation, and fold
    /// that transform into w1 and b1 afterwards, so the saved model is the notes' network on the features as given and
    /// scoring costs nothing extra. This makes TinyNet insensitive to how the features were scaled: ML.NET's default
    /// <c>NormalizeMeanVariance</c> scales without centring (<c>fixZero: true</c>), which drives sigmoid hidden units into
    /// saturation when a feature's mean is large; with this on, that pipeline, <c>fixZero: false</c>,
    /// <c>NormalizeMinMax</c> and no normaliser at all train (nearly) the same model. A constant column is only centred
    /// (σ taken as 1). Default true; false trains on the features exactly as given.
    /// </summary>
    public bool StandardizeFeatures { get; set; } = true;

    /// <summary>
    /// Skip rows whose features, label or weight are missing (NaN) and count them in the log, instead of failing with
    /// an error naming the row. Default false.
    /// </summary>
    public bool SkipRowsWithMissingValues { get; set; }

    /// <summary>Cancels training (checked before every step); Fit then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Told of every epoch: epoch, training loss, validation loss, elapsed time.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    internal abstract Head Head { get; }

    /// <summary>True when the label is standardised for training and the scale folded back (regression's StandardizeLabel).</summary>
    internal virtual bool StandardizesLabel => false;

    /// <summary>
    /// The Core trainer's options, validated by the Core's one validation (<see cref="TrainerOptions.Validate"/>); an invalid
    /// option throws an <see cref="ArgumentOutOfRangeException"/> named as these options name it (NumberOfHiddenUnits for the
    /// Core's HiddenUnits, NumberOfIterations for Epochs, NumberOfThreads for Threads).
    /// </summary>
    /// <param name="contextSeed">The seed to use when <see cref="Seed"/> is null (drawn from the MLContext).</param>
    internal TrainerOptions ToCore(int contextSeed = 0)
    {
        Require(!string.IsNullOrWhiteSpace(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "a column name");
        Require(!string.IsNullOrWhiteSpace(FeatureColumnName), nameof(FeatureColumnName), FeatureColumnName, "a column name");
        Require(Enum.IsDefined(Procedure), nameof(Procedure), Procedure, "Plain or Adaptive");
        Require(AdaptiveHoldOutFraction > 0 && AdaptiveHoldOutFraction <= 0.5f, nameof(AdaptiveHoldOutFraction), AdaptiveHoldOutFraction, "in (0, 0.5]");
        var core = new TrainerOptions
        {
            Head = Head,
            HiddenUnits = NumberOfHiddenUnits,
            LearningRate = LearningRate,
            Epochs = NumberOfIterations,
            BatchSize = BatchSize,
            Seed = Seed ?? contextSeed,
            Optimizer = Optimizer,
            L2Regularization = L2Regularization,
            LearningRateDecay = LearningRateDecay,
            EarlyStoppingPatience = EarlyStoppingPatience,
            EarlyStoppingTolerance = EarlyStoppingTolerance,
            ValidationFraction = ValidationFraction,
            Threads = NumberOfThreads,
        };
        try
        {
            core.Validate();
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is { } coreName)
        {
            string name = coreName switch
            {
                nameof(TrainerOptions.HiddenUnits) => nameof(NumberOfHiddenUnits),
                nameof(TrainerOptions.Epochs) => nameof(NumberOfIterations),
                nameof(TrainerOptions.Threads) => nameof(NumberOfThreads),
                _ => coreName,
            };
            // The Core's message is "HiddenUnits is 0; it must be at least 1."; the new exception adds .NET's suffixes again.
            throw new ArgumentOutOfRangeException(name, e.ActualValue, name + CoreMessage(e)[coreName.Length..]);
        }

        return core;
    }

    /// <summary>A TinyNet.Core exception's own message, without the "Actual value was …" and "(Parameter …)" suffixes .NET adds.</summary>
    internal static string CoreMessage(ArgumentException e)
    {
        string message = e.Message.Split('\n')[0];
        int suffix = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }

    private static void Require(bool ok, string name, object? value, string valid)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value ?? "null"}; it must be {valid}.");
        }
    }
}

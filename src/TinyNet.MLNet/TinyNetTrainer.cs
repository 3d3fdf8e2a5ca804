using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace TinyNet.MLNet;

/// <summary>
/// The estimator shared by <see cref="TinyNetBinaryTrainer"/>, <see cref="TinyNetRegressionTrainer"/> and
/// <see cref="TinyNetMulticlassTrainer"/>: reads the data,
/// trains TinyNet.Core's fast engine, logs each epoch to the MLContext's log, returns a <see cref="TinyNetPredictionTransformer"/>.
/// A trainer estimator like ML.NET's own (<see cref="ITrainerEstimator{TTransformer, TModel}"/>), with warm start:
/// <see cref="Fit(IDataView, TinyNetModelParameters)"/> continues from a trained model.
/// </summary>
public abstract class TinyNetTrainerBase : ITrainerEstimator<TinyNetPredictionTransformer, TinyNetModelParameters>
{
    private readonly IHostEnvironment _env;
    private readonly TinyNetTrainerOptions _options;

    private protected TinyNetTrainerBase(IHostEnvironment env, TinyNetTrainerOptions options)
    {
        _env = env;
        _options = options;
        options.ToCore();   // validate now, so a bad option fails where it is set
    }

    /// <summary>
    /// What ML.NET's tooling asks of a trainer: no normaliser needed (TinyNet standardises its inputs itself), it reads
    /// the data many times (so caching helps), it takes a validation set, and it continues from a trained model.
    /// </summary>
    public TrainerInfo Info { get; } = MLNetInternals.TrainerInfo(normalization: false, caching: true, supportValid: true, supportIncrementalTrain: true);

    /// <summary>
    /// Trains on <paramref name="input"/>. By default (<see cref="TrainingProcedure.Adaptive"/>) a seeded 20% hold-out
    /// chooses λ (the options' L2Regularization ÷ 10, × 1 or × 10) and the number of epochs, and the chosen network is then
    /// trained on every row; <see cref="TinyNetTrainerOptions.Procedure"/> = <see cref="TrainingProcedure.Plain"/> trains
    /// the notes' network once exactly as the options say.
    /// </summary>
    public TinyNetPredictionTransformer Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>
    /// Trains on <paramref name="trainData"/>, recording the loss on <paramref name="validationData"/> each epoch and stopping
    /// early on it (<see cref="TinyNetTrainerOptions.EarlyStoppingPatience"/>), like FastTree's Fit(train, validation); the
    /// adaptive procedure also chooses λ on it and returns the chosen run (trained on <paramref name="trainData"/> only).
    /// </summary>
    public TinyNetPredictionTransformer Fit(IDataView trainData, IDataView? validationData) => Fit(trainData, validationData, null);

    /// <summary>
    /// Warm start: continues training from <paramref name="modelParameters"/> (for example <c>transformer.Model</c> of a
    /// saved and loaded model) on <paramref name="trainData"/> for <see cref="TinyNetTrainerOptions.NumberOfIterations"/>
    /// more epochs, with these options' learning rate, batch size, L2 and stopping rule, like
    /// <c>LbfgsLogisticRegressionBinaryTrainer.Fit(trainData, modelParameters)</c>. The model's shape and head win over
    /// <see cref="TinyNetTrainerOptions.NumberOfHiddenUnits"/>; the feature vector must have its D values. The optimiser
    /// state (Adam's moments) is not saved with a model, so it starts afresh.
    /// </summary>
    /// <exception cref="ArgumentException">The model's head or input count does not match this trainer and data.</exception>
    public TinyNetPredictionTransformer Fit(IDataView trainData, TinyNetModelParameters modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        return Fit(trainData, null, modelParameters);
    }

    private TinyNetPredictionTransformer Fit(IDataView trainData, IDataView? validationData, TinyNetModelParameters? start)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        IHost host = _env.Register("TinyNet");
        TrainerOptions core = _options.ToCore(host.Rand.Next());   // unset Seed: the MLContext's seed, like the built-in trainers
        using IChannel ch = host.Start("Training");
        DataViewReader.Result train = DataViewReader.Read(trainData, _options, "training");
        ch.Info(MessageSensitivity.None, $"TinyNet: read {train.RowsRead} training rows, skipped {train.RowsSkipped} with missing values; D = {train.Data.ColumnCount}, H = {core.HiddenUnits}, {core.Head}.");
        DataViewReader.Result? validation = validationData is null ? null : DataViewReader.Read(validationData, _options, "validation", train.Classes);
        if (validation is not null)
        {
            ch.Info(MessageSensitivity.None, $"TinyNet: read {validation.RowsRead} validation rows, skipped {validation.RowsSkipped}.");
        }

        // Regression: train on the standardised label, then fold the scale into w2 and b2 (LabelScaling).
        LabelScaling? labels = _options.StandardizesLabel ? LabelScaling.Of(train.Data) : null;
        DataSet trainSet = labels?.Apply(train.Data) ?? train.Data;
        DataSet? validationSet = validation is null ? null : labels?.Apply(validation.Data) ?? validation.Data;

        // Features: train on (x − μ) / σ per column, then fold the transform into w1 and b1 (FeatureScaling).
        FeatureScaling? scaling = _options.StandardizeFeatures ? FeatureScaling.Of(trainSet) : null;
        if (scaling is not null)
        {
            trainSet = scaling.Apply(trainSet);
            validationSet = validationSet is null ? null : scaling.Apply(validationSet);
        }

        var progress = new LoggingProgress(ch, _options.Progress);
        TrainingResult result;
        try
        {
            // The starting network, built once (every run below starts from it; Trainer.Train does not change it): a trained
            // model's (warm start), or a seeded one, for multiclass with K from the label's key type, not from the labels
            // seen (a class missing from these rows still gets its output). Train(DataSet, …) would build the same.
            Network initial = start is not null ? StartingPoint(start, trainSet.ColumnCount, train.Classes, labels, scaling, ch)
                : Network.CreateRandom(trainSet.ColumnCount, core.HiddenUnits, core.Head, train.Classes?.Count ?? 1, (ulong)core.Seed);
            if (start is not null)
            {
                // The saved network works on the features and label as given; training works on the standardised ones.
                ch.Info(MessageSensitivity.None, $"TinyNet: continuing from a trained model (D = {initial.InputCount}, H = {initial.HiddenCount}).");
            }

            result = start is null && _options.Procedure == TrainingProcedure.Adaptive
                ? Adaptive(trainSet, validationSet, core, initial, progress, ch)
                : Plain(trainSet, validationSet, core, initial, progress, ch);
        }
        catch (ArgumentException e) when (e.ParamName is "HiddenUnits" or "hiddenCount" or "classCount")
        {
            // TinyNet.Core's size and memory refusals name its own parameters; say it in this trainer's terms.
            int k = train.Classes?.Count ?? 1;
            throw new ArgumentOutOfRangeException(nameof(TinyNetTrainerOptions.NumberOfHiddenUnits),
                $"TinyNet cannot train this shape: D = {trainSet.ColumnCount} features in column '{_options.FeatureColumnName}', " +
                $"H = {_options.NumberOfHiddenUnits} ({nameof(TinyNetTrainerOptions.NumberOfHiddenUnits)})" +
                (k > 1 ? $", K = {k} classes (the key type of label column '{_options.LabelColumnName}')" : "") + $". {TinyNetTrainerOptions.CoreMessage(e)} " +
                $"Use a smaller {nameof(TinyNetTrainerOptions.NumberOfHiddenUnits)}" + (k > 1 ? " or a label with fewer classes." : "."));
        }

        Network network = result.Network;
        scaling?.FoldInto(network);
        labels?.FoldInto(network);

        ch.Info(MessageSensitivity.None, $"TinyNet: trained {result.History.EpochCount} epochs; returned the parameters of epoch {result.History.BestEpoch}.");
        var features = (VectorDataViewType)trainData.Schema[_options.FeatureColumnName].Type;
        return new TinyNetPredictionTransformer(new TinyNetModelParameters(network, result.History, train.Classes), _options.FeatureColumnName, features);
    }

    /// <summary>
    /// <see cref="TrainingProcedure.Plain"/> (and warm start): one run as the options say; with <see cref="TinyNetTrainerOptions.RefitOnAllRows"/>
    /// a second run on every row for the epochs the hold-out chose.
    /// </summary>
    private TrainingResult Plain(DataSet trainSet, DataSet? validationSet, TrainerOptions core, Network initial, IProgress<TrainingProgress> progress, IChannel ch)
    {
        TrainingResult result = Trainer.Train(initial, trainSet, core, validationSet, progress, _options.CancellationToken);
        return _options.RefitOnAllRows && validationSet is null && result.History.ValidationLoss is not null
            ? OnEveryRow(initial, trainSet, core, result.History.BestEpoch, progress, ch)
            : result;
    }

    /// <summary>
    /// The run a hold-out chose, again on every row: from the same start, <paramref name="epochs"/> epochs, no hold-out
    /// (RefitOnAllRows, and the adaptive procedure's last step).
    /// </summary>
    private TrainingResult OnEveryRow(Network initial, DataSet trainSet, TrainerOptions chosen, int epochs, IProgress<TrainingProgress> progress, IChannel ch)
    {
        TrainerOptions o = chosen.Clone();
        o.Epochs = Math.Max(1, epochs);
        o.ValidationFraction = 0;
        ch.Info(MessageSensitivity.None, $"TinyNet: λ = {o.L2Regularization:G3}, {o.Epochs} epochs chosen on the hold-out; training again on all {trainSet.RowCount} rows.");
        return Trainer.Train(initial, trainSet, o, null, progress, _options.CancellationToken);
    }

    /// <summary>
    /// <see cref="TrainingProcedure.Adaptive"/>: λ ÷ 10, × 1 and × 10, each early-stopped on one seeded hold-out (or the
    /// validation set given) from the same starting network; the λ with the lowest best-epoch hold-out loss is trained on
    /// every row for its best epoch count (with a validation set given, its run is returned as it is).
    /// </summary>
    private TrainingResult Adaptive(DataSet trainSet, DataSet? validationSet, TrainerOptions core, Network initial, IProgress<TrainingProgress> progress, IChannel ch)
    {
        double l2 = core.L2Regularization;
        // Each λ as L2Regularization (a float) would hold it, so that any candidate is also a Plain run of these options.
        double[] candidates = [.. (l2 > 0 ? AdaptiveGrid.Select(f => l2 * f) : [0, 1e-4, 1e-3]).Select(v => (double)(float)v)];
        int threads = Math.Max(1, (core.Threads > 0 ? core.Threads : Environment.ProcessorCount) / candidates.Length);
        TrainerOptions[] options = [.. candidates.Select(lambda =>
        {
            TrainerOptions o = core.Clone();
            o.L2Regularization = lambda;
            o.ValidationFraction = _options.AdaptiveHoldOutFraction;
            o.EarlyStoppingPatience = core.EarlyStoppingPatience > 0 ? core.EarlyStoppingPatience : AdaptivePatience;
            o.Epochs = AdaptiveEpochs(core.Epochs, trainSet.RowCount);
            o.Threads = threads;
            return o;
        })];

        // One hold-out, split once and shared (the same rows Train would hold out for each candidate).
        (DataSet fit, DataSet? holdOut) = validationSet is not null ? (trainSet, validationSet)
            : Trainer.HoldOut(initial, trainSet, options[0]) is { } split ? (split.Fit, split.HoldOut) : (trainSet, null);

        // The candidates are independent (each from the same start, on the same hold-out): they train side by side. The
        // options' own λ reports its epochs to the progress callback; the others are summed up in the log when done. A
        // candidate that diverges drops out; only when every one does is that an error (the options' own λ's).
        var runs = new TrainingResult?[candidates.Length];
        var diverged = new TrainingDivergedException?[candidates.Length];
        try
        {
            Parallel.For(0, candidates.Length, new ParallelOptions { MaxDegreeOfParallelism = candidates.Length }, i =>
            {
                try
                {
                    runs[i] = Trainer.Train(initial, fit, options[i], holdOut, i == 0 ? progress : null, _options.CancellationToken);
                }
                catch (TrainingDivergedException e)
                {
                    diverged[i] = e;
                }
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        int best = -1;
        double bestLoss = double.PositiveInfinity;
        for (int i = 0; i < runs.Length; i++)
        {
            if (runs[i] is not { } run)
            {
                ch.Warning(MessageSensitivity.None, $"TinyNet: λ = {candidates[i]:G3} diverged and drops out: {diverged[i]!.Message}");
                continue;
            }

            if (run.History.ValidationLoss is not { } validationLoss)
            {
                return run;   // too few rows to hold any out: there is nothing to choose on, and this run trained on every row
            }

            double loss = validationLoss[run.History.BestEpoch - 1];
            ch.Info(MessageSensitivity.None, $"TinyNet: λ = {candidates[i]:G3}: best hold-out loss {loss:G6} at epoch {run.History.BestEpoch}.");
            if (best < 0 || loss < bestLoss)
            {
                (best, bestLoss) = (i, loss);
            }
        }

        if (best < 0)
        {
            ExceptionDispatchInfo.Capture(diverged[0]!).Throw();
        }

        if (validationSet is not null)
        {
            return runs[best]!;
        }

        TrainerOptions chosen = options[best];
        chosen.Threads = core.Threads;
        return OnEveryRow(initial, trainSet, chosen, runs[best]!.History.BestEpoch, progress, ch);
    }

    /// <summary>The λ the adaptive procedure tries, as factors of the options' L2Regularization (the options' own first, so it wins ties).</summary>
    private static readonly double[] AdaptiveGrid = [1, 0.1, 10];

    /// <summary>
    /// Rows one adaptive candidate may pass over in all (epochs × rows): 10⁶, about 31,000 steps of 32 rows. Chosen over the
    /// shared data sets (docs/defaults.md): it binds only on the largest (shuttle, chicago) and keeps their fit time within
    /// 5× LightGBM's.
    /// </summary>
    internal const double RowBudget = 1e6;

    /// <summary>
    /// The most epochs one candidate runs: NumberOfIterations, but no more than <see cref="RowBudget"/> rows in all (at least
    /// 10 epochs), so that large data sets, where each epoch already takes many steps, cost a bounded time.
    /// </summary>
    internal static int AdaptiveEpochs(int epochs, int rows) => (int)Math.Min(epochs, Math.Max(10, Math.Ceiling(RowBudget / rows)));
    /// <summary>Early-stopping patience of the adaptive candidates when the options turn early stopping off (patience 0).</summary>
    private const int AdaptivePatience = 50;

    /// <summary>The input schema plus the score columns this trainer adds.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column features = inputSchema.FirstOrDefault(c => c.Name == _options.FeatureColumnName);
        if (features.Name is null)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The feature column '{_options.FeatureColumnName}' is not in the input schema.");
        }

        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Schema mismatch for feature column '{_options.FeatureColumnName}': expected known-size vector of Single, got {features.ItemType} ({features.Kind}).");
        }

        if (!inputSchema.Any(c => c.Name == _options.LabelColumnName))
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The label column '{_options.LabelColumnName}' is not in the input schema.");
        }

        TinyNetTask task = TinyNetTask.For(_options.Head);
        ClassLabels? classes = task.ClassesOf(inputSchema.First(c => c.Name == _options.LabelColumnName), _options.LabelColumnName);
        var scored = ScoreColumns.Add(new DataViewSchema.Builder().ToSchema(), task, classes);
        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (SchemaShape.Column c in MLNetInternals.ShapeOf(scored))
        {
            columns[c.Name] = c;
        }

        return new SchemaShape(columns.Values);
    }

    /// <summary>
    /// The trained network expressed on the standardised features and label this run trains on: the inverse of the folds
    /// applied after training (<see cref="FeatureScaling.UnfoldFrom"/>, <see cref="LabelScaling.UnfoldFrom"/>).
    /// </summary>
    private Network StartingPoint(TinyNetModelParameters start, int columns, ClassLabels? classes, LabelScaling? labels, FeatureScaling? scaling, IChannel ch)
    {
        int classCount = classes?.Count ?? 1;
        if (start.Head != _options.Head)
        {
            throw new ArgumentException(
                $"modelParameters is a {start.Head} model, but this trainer trains {_options.Head}; continue it with the matching trainer.", "modelParameters");
        }

        if (start.InputCount != columns)
        {
            throw new ArgumentException(
                $"modelParameters has D = {start.InputCount} inputs, but the feature column '{_options.FeatureColumnName}' has {columns} values; use the same featurisation as for the model.",
                "modelParameters");
        }

        if (start.OutputCount != classCount)
        {
            throw new ArgumentException(
                $"modelParameters has K = {start.OutputCount} classes, but the label column '{_options.LabelColumnName}' is a key over {classCount}; use the same MapValueToKey as for the model.",
                "modelParameters");
        }

        Network network = start.ToNetwork();
        if (classes is not null && start.Classes is not null)
        {
            MatchClasses(network, start.Classes, classes, ch);
        }

        scaling?.UnfoldFrom(network);
        labels?.UnfoldFrom(network);
        return network;
    }

    /// <summary>
    /// Puts the model's outputs in the order of this label's classes, matching them by key value: output k of the result is
    /// the model's output for class k of <paramref name="classes"/> (rows of w2 and values of b2 reordered). The same classes
    /// keyed in another order are the same classes; a class the model lacks, or key values that cannot be compared, are
    /// refused naming both lists.
    /// </summary>
    private void MatchClasses(Network network, ClassLabels model, ClassLabels classes, IChannel ch)
    {
        int[] index = classes.IndexIn(model) ?? throw new ArgumentException(
            $"modelParameters was trained on the classes {model.Describe()}, but the label column '{_options.LabelColumnName}' is keyed over " +
            $"{classes.Describe()}; their classes cannot be matched by value. Use the same MapValueToKey as for the model.", "modelParameters");
        int missing = Array.IndexOf(index, -1);
        if (missing >= 0)
        {
            throw new ArgumentException(
                $"modelParameters was trained on the classes {model.Describe()}, but the label column '{_options.LabelColumnName}' is keyed over " +
                $"{classes.Describe()}: class '{classes.Names[missing]}' is not one of the model's. Continue a model only on its own classes " +
                "(key the label with the MapValueToKey the model was trained after).", "modelParameters");
        }

        if (index.Select((j, k) => j == k).All(same => same))
        {
            return;
        }

        int h = network.HiddenCount;
        double[] w2 = (double[])network.W2.Clone(), b2 = (double[])network.B2.Clone();
        for (int k = 0; k < index.Length; k++)
        {
            Array.Copy(w2, index[k] * h, network.W2, k * h, h);
            network.B2[k] = b2[index[k]];
        }

        ch.Info(MessageSensitivity.None,
            $"TinyNet: the label keys the model's classes {model.Describe()} in another order, {classes.Describe()}; its outputs were reordered to match, by class value.");
    }

    /// <summary>Writes each epoch to ML.NET's log (visible through MLContext.Log) and forwards it to the user's IProgress.</summary>
    private sealed class LoggingProgress(IChannel channel, IProgress<TrainingProgress>? user) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            string validation = p.ValidationLoss is { } v ? $", validation loss {v:G6}" : "";
            channel.Info(MessageSensitivity.None, $"TinyNet: epoch {p.Epoch}, training loss {p.TrainingLoss:G6}{validation}, {p.Elapsed.TotalSeconds:F2} s");
            user?.Report(p);
        }
    }
}

/// <summary>
/// TinyNet for binary classification: a two-layer sigmoid network with a sigmoid output trained on log-loss. The label
/// column must be Boolean. Adds Score (the logit z2), Probability (a2 = σ(z2)) and PredictedLabel (a2 ≥ 0.5).
/// </summary>
public sealed class TinyNetBinaryTrainer : TinyNetTrainerBase
{
    internal TinyNetBinaryTrainer(IHostEnvironment env, Options options)
        : base(env, options)
    {
    }

    /// <summary>
    /// Settings of <see cref="TinyNetBinaryTrainer"/>, with the binary defaults of <see cref="Defaults"/>. <c>Fit(train)</c>
    /// lets a stratified 20% hold-out choose λ and the epoch count, then trains on every row
    /// (<see cref="TinyNetTrainerOptions.Procedure"/>).
    /// </summary>
    public sealed class Options : TinyNetTrainerOptions
    {
        /// <summary>Creates the options with the binary defaults.</summary>
        public Options()
            : base(Defaults.NumberOfHiddenUnits, Defaults.LearningRate, Defaults.NumberOfIterations, Defaults.BatchSize,
                Defaults.L2Regularization, Defaults.ValidationFraction, Defaults.EarlyStoppingPatience)
        {
        }

        /// <summary>
        /// The binary defaults, written once: the Options initialise from them and the catalog's parameters default to
        /// them. Chosen by the defaults study over the 11 binary sets of the project's shared data folder (protocol and table:
        /// docs/defaults.md): the best median rank among the configurations that came within 0.005 AUC of the better
        /// linear trainer (L-BFGS, SDCA) on every set.
        /// </summary>
        public static class Defaults
        {
            /// <summary>H = 32 hidden units.</summary>
            public const int NumberOfHiddenUnits = 32;

            /// <summary>Adam's learning rate 0.001.</summary>
            public const float LearningRate = 0.001f;

            /// <summary>At most 200 epochs; early stopping on the held-out rows usually ends training sooner.</summary>
            public const int NumberOfIterations = 200;

            /// <summary>32 rows per step.</summary>
            public const int BatchSize = 32;

            /// <summary>λ = 1e-3.</summary>
            public const float L2Regularization = 1e-3f;

            /// <summary>With <see cref="TrainingProcedure.Plain"/>, Fit(train) holds out 10% of the rows for early stopping.</summary>
            public const float ValidationFraction = 0.1f;

            /// <summary>
            /// Stop a run after 20 epochs without a better validation loss (each adaptive candidate; Plain's hold-out). 50, as
            /// for the other tasks, gave the same AUCs within ±0.0013 on the 11 binary sets at 1.5× the fit time (docs/defaults.md).
            /// </summary>
            public const int EarlyStoppingPatience = 20;
        }

        internal override Head Head => Head.BinaryClassification;
    }
}

/// <summary>
/// TinyNet for regression: a two-layer sigmoid network with an identity output trained on squared error. The label
/// column must be Single. Adds Score.
/// </summary>
public sealed class TinyNetRegressionTrainer : TinyNetTrainerBase
{
    internal TinyNetRegressionTrainer(IHostEnvironment env, Options options)
        : base(env, options)
    {
    }

    /// <summary>
    /// Settings of <see cref="TinyNetRegressionTrainer"/>, with the regression defaults of <see cref="Defaults"/>:
    /// <c>Fit(train)</c> trains on every row for a fixed number of epochs (on the regression sets, early stopping on a
    /// held-out part stopped too soon on the small ones; see docs/defaults.md).
    /// </summary>
    public sealed class Options : TinyNetTrainerOptions
    {
        /// <summary>Creates the options with the regression defaults.</summary>
        public Options()
            : base(Defaults.NumberOfHiddenUnits, Defaults.LearningRate, Defaults.NumberOfIterations, Defaults.BatchSize,
                Defaults.L2Regularization, Defaults.ValidationFraction, Defaults.EarlyStoppingPatience)
        {
        }

        /// <summary>
        /// The regression defaults, written once: the Options initialise from them and the catalog's parameters default
        /// to them. Chosen by the defaults study over the 9 regression sets of the project's shared data folder (protocol and table:
        /// docs/defaults.md): the best median rank among the configurations whose RMSE stayed within 1.02 × the better
        /// linear trainer's (SDCA, OGD) on every set and within 1% across normalisers.
        /// </summary>
        public static class Defaults
        {
            /// <summary>H = 16 hidden units.</summary>
            public const int NumberOfHiddenUnits = 16;

            /// <summary>Adam's learning rate 0.01.</summary>
            public const float LearningRate = 0.01f;

            /// <summary>200 epochs.</summary>
            public const int NumberOfIterations = 200;

            /// <summary>32 rows per step.</summary>
            public const int BatchSize = 32;

            /// <summary>λ = 2e-3.</summary>
            public const float L2Regularization = 2e-3f;

            /// <summary>With <see cref="TrainingProcedure.Plain"/>, Fit(train) trains on every row (no hold-out).</summary>
            public const float ValidationFraction = 0f;

            /// <summary>Stop a run after 50 epochs without a better validation loss (each adaptive candidate; Plain with a validation set).</summary>
            public const int EarlyStoppingPatience = 50;
        }

        /// <summary>
        /// Train on the standardised label (y − mean) / std and fold the scale back into w2 and b2, so that the learning rate
        /// suits any label scale. Default true.
        /// </summary>
        public bool StandardizeLabel { get; set; } = true;

        internal override Head Head => Head.Regression;

        internal override bool StandardizesLabel => StandardizeLabel;
    }
}

/// <summary>
/// TinyNet for multiclass classification: a two-layer sigmoid network with a softmax output over the K classes trained on
/// cross-entropy (docs/notes-multiclass.md). The label column must be a key type (use
/// <c>mlContext.Transforms.Conversion.MapValueToKey</c>); K is its key count. Adds Score (the K class probabilities, slots
/// named by the classes) and PredictedLabel (the key of the most probable class, with the label's key values, so
/// <c>MapKeyToValue</c> turns it back into the original label).
/// </summary>
public sealed class TinyNetMulticlassTrainer : TinyNetTrainerBase
{
    internal TinyNetMulticlassTrainer(IHostEnvironment env, Options options)
        : base(env, options)
    {
    }

    /// <summary>
    /// Settings of <see cref="TinyNetMulticlassTrainer"/>, with the multiclass defaults of <see cref="Defaults"/>:
    /// <c>Fit(train)</c> lets a stratified 20% hold-out choose λ and the epoch count, then trains on every row; with
    /// <see cref="TrainingProcedure.Plain"/> it trains on every row for a fixed number of epochs.
    /// </summary>
    public sealed class Options : TinyNetTrainerOptions
    {
        /// <summary>Creates the options with the multiclass defaults.</summary>
        public Options()
            : base(Defaults.NumberOfHiddenUnits, Defaults.LearningRate, Defaults.NumberOfIterations, Defaults.BatchSize,
                Defaults.L2Regularization, Defaults.ValidationFraction, Defaults.EarlyStoppingPatience)
        {
        }

        /// <summary>
        /// The multiclass defaults, written once: the Options initialise from them and the catalog's parameters default to
        /// them. Chosen by the multiclass study over the 11 multiclass sets of the project's shared data folder (26
        /// configurations; docs/defaults.md, "Multiclass"): the one configuration whose micro accuracy reached the better
        /// maximum-entropy trainer's (L-BFGS, SDCA) on every set. Unlike binary, a fixed number of epochs on every row beat
        /// early stopping on a 10% hold-out there: the hold-out of a 100–200-row set is a dozen rows.
        /// </summary>
        public static class Defaults
        {
            /// <summary>H = 32 hidden units.</summary>
            public const int NumberOfHiddenUnits = 32;

            /// <summary>Adam's learning rate 0.01.</summary>
            public const float LearningRate = 0.01f;

            /// <summary>200 epochs.</summary>
            public const int NumberOfIterations = 200;

            /// <summary>32 rows per step.</summary>
            public const int BatchSize = 32;

            /// <summary>λ = 1e-3.</summary>
            public const float L2Regularization = 1e-3f;

            /// <summary>With <see cref="TrainingProcedure.Plain"/>, Fit(train) trains on every row (no hold-out).</summary>
            public const float ValidationFraction = 0f;

            /// <summary>Stop a run after 50 epochs without a better validation loss (each adaptive candidate; Plain with a validation set).</summary>
            public const int EarlyStoppingPatience = 50;
        }

        internal override Head Head => Head.MulticlassClassification;
    }
}

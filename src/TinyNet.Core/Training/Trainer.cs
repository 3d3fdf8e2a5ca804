using System.Diagnostics;

namespace TinyNet;

/// <summary>
/// Mini-batch training of a <see cref="Network"/>: per epoch, shuffle (seeded), step through batches of
/// <see cref="TrainerOptions.BatchSize"/> rows, record the losses, and stop early on a validation set.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains a new network initialised from <see cref="TrainerOptions.Seed"/> (Glorot uniform). For
    /// <see cref="Head.MulticlassClassification"/> the number of classes K is the largest label + 1; to fix K (a class may
    /// be missing from this sample), start from <see cref="Network.CreateRandom(int, int, Head, int, ulong)"/> instead.
    /// </summary>
    /// <param name="train">Training data; labels must be 0 or 1 for <see cref="Head.BinaryClassification"/>, whole numbers
    /// 0 … K − 1 for <see cref="Head.MulticlassClassification"/>.</param>
    /// <param name="options">Settings; validated first.</param>
    /// <param name="validation">Optional validation data (same columns): its loss is recorded per epoch and drives early stopping.</param>
    /// <param name="progress">Told of every epoch.</param>
    /// <param name="cancellationToken">Checked before every step; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">Invalid data or options; the message names which and what is valid.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a parameter became NaN or infinite, or an epoch's training loss
    /// exceeded <see cref="DivergenceFactor"/> × the larger of the starting network's and the best constant prediction's loss.</exception>
    public static TrainingResult Train(
        DataSet train,
        TrainerOptions options,
        DataSet? validation = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int classCount = OutputHead.For(options.Head).OutputCountFor(train, nameof(train));
        CheckMemory(train.ColumnCount, options.HiddenUnits, classCount, train.RowCount, options);   // before the initial network is allocated
        Network initial = Network.CreateRandom(train.ColumnCount, options.HiddenUnits, options.Head, classCount, (ulong)options.Seed);
        return Train(initial, train, options, validation, progress, cancellationToken);
    }

    /// <summary>
    /// Trains starting from a copy of <paramref name="initial"/> (its shape and head win over
    /// <see cref="TrainerOptions.HiddenUnits"/> and <see cref="TrainerOptions.Head"/>); <paramref name="initial"/> is not changed.
    /// </summary>
    public static TrainingResult Train(
        Network initial,
        DataSet train,
        TrainerOptions options,
        DataSet? validation = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
        options.Head = initial.Head;
        options.HiddenUnits = initial.HiddenCount;
        options.Validate();
        CheckData(train, initial, nameof(train));
        if (validation is not null)
        {
            CheckData(validation, initial, nameof(validation));
        }

        if (!initial.IsFinite())
        {
            throw new ArgumentException("initial has a NaN or infinite parameter; start from finite parameters.", nameof(initial));
        }

        if (validation is null && HoldOutOf(initial, train, options) is { } split)
        {
            (train, validation) = split;
        }

        CheckMemory(initial.InputCount, initial.HiddenCount, initial.OutputCount, train.RowCount, options);
        var stopwatch = Stopwatch.StartNew();
        using IEngine engine = options.Engine == Engine.Reference
            ? new ReferenceEngine(initial, train, options)
            : new FastEngine(initial, train, options);

        // The divergence rule (see TrainingDivergedException): no epoch may end more than DivergenceFactor times worse
        // than the larger of two baselines, the starting network's loss and the best constant prediction's. The
        // network's losses are measured on an even sample of the training rows (the rule needs an order of magnitude,
        // not digits), so that the check costs a small fixed amount whatever N.
        double trainWeight = train.WeightSum;
        double validationWeight = validation?.WeightSum ?? 1;
        DataSet probe = train.Subsample(DivergenceSampleRows);
        double probeWeight = probe.WeightSum;
        double baseline = Math.Max(Math.Max(engine.LossSum(probe) / probeWeight, initial.OutputHead.ConstantPredictionLoss(train, initial.OutputCount)), 1e-12);
        double limit = DivergenceFactor * baseline;

        int n = train.RowCount;
        int batchSize = Math.Min(options.BatchSize, n);
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var shuffler = new Rng((ulong)options.Seed ^ 0x5EED_0F_5E_0F_F1E5UL);
        var current = initial.Clone();
        Network? best = null;
        double bestValidation = double.PositiveInfinity;
        int bestEpoch = 0;
        int epochsWithoutImprovement = 0;
        bool stoppedEarly = false;
        var trainingLoss = new List<double>(options.Epochs);
        List<double>? validationLoss = validation is null ? null : new List<double>(options.Epochs);
        bool earlyStopping = validation is not null && options.EarlyStoppingPatience > 0;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.Shuffle)
            {
                shuffler.Shuffle(order);
            }

            double lr = options.LearningRate / (1.0 + options.LearningRateDecay * (epoch - 1));
            double lossSum = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(batchSize, n - start);
                lossSum += engine.Step(order.AsSpan(start, count), lr);
            }

            double epochLoss = lossSum / trainWeight;
            engine.CopyTo(current);
            if (!double.IsFinite(epochLoss))
            {
                throw new TrainingDivergedException(epoch, lr, "the training loss");
            }

            if (!current.IsFinite())
            {
                throw new TrainingDivergedException(epoch, lr, "a parameter");
            }

            if (epochLoss > limit)
            {
                throw new TrainingDivergedException(epoch, options.LearningRate, epochLoss, baseline);
            }

            trainingLoss.Add(epochLoss);
            double? epochValidation = null;
            if (validation is not null)
            {
                double v = engine.LossSum(validation) / validationWeight;
                if (!double.IsFinite(v))
                {
                    throw new TrainingDivergedException(epoch, lr, "the validation loss");
                }

                validationLoss!.Add(v);
                epochValidation = v;
            }

            progress?.Report(new TrainingProgress(epoch, epochLoss, epochValidation, stopwatch.Elapsed));

            if (!earlyStopping)
            {
                bestEpoch = epoch;
                continue;
            }

            if (epochValidation!.Value < bestValidation - options.EarlyStoppingTolerance)
            {
                bestValidation = epochValidation.Value;
                bestEpoch = epoch;
                best = current.Clone();
                epochsWithoutImprovement = 0;
            }
            else if (++epochsWithoutImprovement >= options.EarlyStoppingPatience)
            {
                stoppedEarly = epoch < options.Epochs;
                break;
            }
        }

        if (best is null)
        {
            // The epoch losses were measured before each step: check the parameters actually returned, after the last step.
            double last = engine.LossSum(probe) / probeWeight;
            if (!(last <= limit))
            {
                throw new TrainingDivergedException(trainingLoss.Count, options.LearningRate, last, baseline);
            }
        }

        var history = new TrainingHistory(initial.Head, trainingLoss, validationLoss, bestEpoch, stoppedEarly);
        return new TrainingResult(best ?? current, history);
    }

    /// <summary>
    /// The rows <see cref="Train(Network, DataSet, TrainerOptions, DataSet?, IProgress{TrainingProgress}?, CancellationToken)"/>
    /// holds out when it is given no validation set: <see cref="TrainerOptions.ValidationFraction"/> of them, drawn with
    /// <see cref="TrainerOptions.Seed"/>, stratified by class for classification (every class keeps a row in training). Null
    /// when nothing is held out (ValidationFraction or EarlyStoppingPatience 0, or a part would be empty). Training on
    /// <c>Fit</c> with <c>HoldOut</c> as the validation set is the same run as letting Train split: several runs that share a
    /// hold-out (different λ, say) can split once instead of each copying the rows.
    /// </summary>
    public static (DataSet Fit, DataSet HoldOut)? HoldOut(Network initial, DataSet train, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckData(train, initial, nameof(train));
        return HoldOutOf(initial, train, options);
    }

    private static (DataSet Fit, DataSet HoldOut)? HoldOutOf(Network initial, DataSet train, TrainerOptions options) =>
        options.ValidationFraction > 0 && options.EarlyStoppingPatience > 0
            ? train.SplitHoldOut(options.ValidationFraction, initial.OutputHead.Strata(initial.OutputCount), (ulong)options.Seed)
            : null;

    /// <summary>
    /// The divergence rule's factor: an epoch whose mean training loss exceeds this many times the larger of the starting
    /// network's loss and the best constant prediction's loss ends training with a <see cref="TrainingDivergedException"/>.
    /// </summary>
    public const double DivergenceFactor = 10;

    /// <summary>The divergence rule measures the network's loss on at most this many training rows, spread evenly.</summary>
    public const int DivergenceSampleRows = 4096;

    /// <summary>
    /// The mean loss of the best constant prediction on <paramref name="data"/>: for regression ½ × the (weighted) variance
    /// of the labels (predicting their mean); for binary classification the entropy of the positive rate p,
    /// −[p log p + (1 − p) log(1 − p)] (predicting p); for multiclass the entropy −Σₖ pₖ log pₖ of the class frequencies
    /// (predicting them).
    /// </summary>
    public static double ConstantPredictionLoss(DataSet data, Head head)
    {
        ArgumentNullException.ThrowIfNull(data);
        OutputHead output = OutputHead.For(head);
        return output.ConstantPredictionLoss(data, output.OutputsNeeded(data, nameof(data)));
    }

    /// <summary>
    /// Refuses, before anything is allocated, a shape whose training would not fit in this process's memory: the network
    /// (initial, current and best copies) plus the engine's parameters, gradients, optimiser state and per-thread buffers.
    /// </summary>
    private static void CheckMemory(int d, int h, int k, int rows, TrainerOptions options)
    {
        double network = 8.0 * ((double)d * h + h + (double)k * (h + 1));
        string shape = $"Training a network with D = {d} inputs and H = {h} hidden units";
        Sizes.CheckArray((double)d * h, sizeof(double), $"{shape} (w1 has D·H weights)", nameof(options.HiddenUnits));
        double engine = options.Engine == Engine.Reference
            ? 4 * network + 8.0 * Math.Min(options.BatchSize, rows) * (d + 2)
            : FastEngine.EstimateBytes(d, h, Math.Min(options.BatchSize, rows), options.Threads, k);
        Sizes.CheckMemory(3 * network + engine, shape, "Use fewer hidden units (TrainerOptions.HiddenUnits).", nameof(options.HiddenUnits));
    }

    private static void CheckData(DataSet data, Network network, string name)
    {
        if (data.ColumnCount != network.InputCount)
        {
            throw new ArgumentException(
                $"{name} has {data.ColumnCount} feature columns but the network has D = {network.InputCount} inputs; use the same columns for every data set.",
                name);
        }

        network.OutputHead.CheckLabels(data, network.OutputCount, name);
    }
}

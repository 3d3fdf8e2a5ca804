namespace TinyNet;

/// <summary>One epoch's figures, as passed to an <see cref="IProgress{T}"/> while training.</summary>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="TrainingLoss">Mean sample loss (Σ sᵢ ℓᵢ) / (Σ sᵢ) over the epoch's steps (Σ sᵢ = N without weights), each measured before its update.</param>
/// <param name="ValidationLoss">Mean (weighted) sample loss on the validation set after the epoch, or null without one.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct TrainingProgress(int Epoch, double TrainingLoss, double? ValidationLoss, TimeSpan Elapsed);

/// <summary>
/// What happened while training. Losses are per-sample means without the L2 penalty: ½ (y − a2)² for
/// regression (so the MSE is twice the loss), log-loss for binary classification, cross-entropy (natural log) for
/// multiclass.
/// </summary>
public sealed class TrainingHistory
{
    /// <summary>A history as recorded by <see cref="Trainer"/>, or read back from a saved model.</summary>
    public TrainingHistory(Head head, IReadOnlyList<double> trainingLoss, IReadOnlyList<double>? validationLoss, int bestEpoch, bool stoppedEarly)
    {
        ArgumentNullException.ThrowIfNull(trainingLoss);
        if (validationLoss is not null && validationLoss.Count != trainingLoss.Count)
        {
            throw new ArgumentException(
                $"validationLoss has {validationLoss.Count} epochs but trainingLoss has {trainingLoss.Count}; pass one value per epoch or null.", nameof(validationLoss));
        }

        if (bestEpoch < 0 || bestEpoch > trainingLoss.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(bestEpoch), bestEpoch, $"bestEpoch must be between 0 and the number of epochs ({trainingLoss.Count}).");
        }

        Head = head;
        TrainingLoss = trainingLoss;
        ValidationLoss = validationLoss;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>The head the losses belong to.</summary>
    public Head Head { get; }

    /// <summary>Training loss per epoch (see <see cref="TrainingProgress.TrainingLoss"/>).</summary>
    public IReadOnlyList<double> TrainingLoss { get; }

    /// <summary>Validation loss per epoch, or null when there was no validation set.</summary>
    public IReadOnlyList<double>? ValidationLoss { get; }

    /// <summary>Regression only: the training mean squared error per epoch, 2 × <see cref="TrainingLoss"/>.</summary>
    public IReadOnlyList<double>? TrainingMse => Head == Head.Regression ? [.. TrainingLoss.Select(l => 2 * l)] : null;

    /// <summary>Regression with a validation set only: the validation MSE per epoch.</summary>
    public IReadOnlyList<double>? ValidationMse =>
        Head == Head.Regression && ValidationLoss is { } v ? [.. v.Select(l => 2 * l)] : null;

    /// <summary>Epochs run.</summary>
    public int EpochCount => TrainingLoss.Count;

    /// <summary>The epoch (from 1) whose parameters were returned: the best validation epoch with early stopping, else the last.</summary>
    public int BestEpoch { get; }

    /// <summary>True if early stopping ended training before the last epoch.</summary>
    public bool StoppedEarly { get; }
}

/// <summary>The trained network and how it got there.</summary>
/// <param name="Network">The parameters (finite; see <see cref="TrainingDivergedException"/>).</param>
/// <param name="History">Loss per epoch and early-stopping outcome.</param>
public sealed record TrainingResult(Network Network, TrainingHistory History);

/// <summary>
/// Training went wrong and no model is returned: a loss or parameter became NaN or infinite, or the divergence rule fired.
/// <para>
/// The divergence rule: before the first step the trainer measures two baselines on the training data, the mean loss of
/// the starting network (on an even sample of at most <see cref="Trainer.DivergenceSampleRows"/> rows) and that of the
/// best constant prediction (<see cref="Trainer.ConstantPredictionLoss(DataSet, Head)"/>: the entropy
/// of the positive rate for binary classification, half the label variance for regression). If any epoch's mean training
/// loss, or the loss of the returned parameters after the last step, exceeds <see cref="Trainer.DivergenceFactor"/> (10) ×
/// the larger baseline, the model is far worse than where it started, and training stops with this exception. A learning
/// rate a tenth as large is suggested.
/// </para>
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="epoch"/>, when <paramref name="what"/> became NaN or infinite.</summary>
    public TrainingDivergedException(int epoch, double learningRate, string what)
        : base($"Training diverged in epoch {epoch}: {what} became NaN or infinite with learning rate {learningRate}. " +
               $"Try a smaller LearningRate (for example {learningRate / 10:G3}), standardise the features and labels, or use Adam.")
    {
        Epoch = epoch;
        LearningRate = learningRate;
        Loss = double.NaN;
        BaselineLoss = double.NaN;
    }

    /// <summary>Creates the exception for the divergence rule: epoch <paramref name="epoch"/> ended with a finite but far too large loss.</summary>
    public TrainingDivergedException(int epoch, double learningRate, double loss, double baselineLoss)
        : base($"Training diverged in epoch {epoch}: the mean training loss {loss:G4} is more than {Trainer.DivergenceFactor}× the " +
               $"loss of the starting network or of the best constant prediction ({baselineLoss:G4}), so the model is worse than no model. " +
               $"Try LearningRate = {learningRate / 10:G3} (a tenth of {learningRate:G3}) or smaller, and standardise the features and labels.")
    {
        Epoch = epoch;
        LearningRate = learningRate;
        Loss = loss;
        BaselineLoss = baselineLoss;
    }

    /// <summary>The epoch (from 1) in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The learning rate in effect.</summary>
    public double LearningRate { get; }

    /// <summary>The mean training loss that broke the divergence rule; NaN when a value became NaN or infinite.</summary>
    public double Loss { get; }

    /// <summary>The larger of the starting network's and the best constant prediction's mean loss; NaN when not measured.</summary>
    public double BaselineLoss { get; }

    /// <summary>A learning rate to try: a tenth of <see cref="LearningRate"/>.</summary>
    public double SuggestedLearningRate => LearningRate / 10;
}

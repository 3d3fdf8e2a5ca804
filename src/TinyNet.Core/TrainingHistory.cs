namespace TinyNet;

/// <summary>One epoch's figures, as passed to an <see cref="IProgress{T}"/> while training.</summary>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="TrainingLoss">Mean sample loss (1/N) Σ sᵢ ℓᵢ over the epoch's steps, each measured before its update.</param>
/// <param name="ValidationLoss">Mean sample loss on the validation set after the epoch, or null without one.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct TrainingProgress(int Epoch, double TrainingLoss, double? ValidationLoss, TimeSpan Elapsed);

/// <summary>
/// What happened while training. Losses are per-sample means without the L2 penalty: ½ (y − a2)² for
/// regression (so the MSE is twice the loss), log-loss for binary classification.
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
/// Training produced a non-finite loss or parameter. No model is returned; lower the learning rate.
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="epoch"/>.</summary>
    public TrainingDivergedException(int epoch, double learningRate, string what)
        : base($"Training diverged in epoch {epoch}: {what} became NaN or infinite with learning rate {learningRate}. " +
               "Try a smaller LearningRate (for example a tenth), standardise the features and labels, or use Adam.")
    {
        Epoch = epoch;
        LearningRate = learningRate;
    }

    /// <summary>The epoch (from 1) in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The learning rate in effect.</summary>
    public double LearningRate { get; }
}

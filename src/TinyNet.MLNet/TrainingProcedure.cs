namespace TinyNet.MLNet;

/// <summary>What <c>Fit</c> does with the options (<see cref="TinyNetTrainerOptions.Procedure"/>).</summary>
public enum TrainingProcedure
{
    /// <summary>
    /// Train the notes' network once, exactly as the options say: <see cref="TinyNetTrainerOptions.NumberOfIterations"/>
    /// epochs, <see cref="TinyNetTrainerOptions.L2Regularization"/>, and early stopping on the rows
    /// <see cref="TinyNetTrainerOptions.ValidationFraction"/> holds out or on the validation set given.
    /// </summary>
    Plain = 0,

    /// <summary>
    /// Let the data choose λ and the number of epochs (docs/defaults.md): train the network with λ =
    /// <see cref="TinyNetTrainerOptions.L2Regularization"/> and with λ ÷ 10 and λ × 10, each stopping early on the same
    /// seeded hold-out of <see cref="TinyNetTrainerOptions.AdaptiveHoldOutFraction"/> of the rows (stratified by class), keep
    /// the λ whose best epoch has the lowest hold-out loss, then train that λ on every row for its best epoch count from
    /// the same starting network. With <c>Fit(train, validation)</c> the given validation set is the hold-out, and the
    /// chosen run is returned (nothing is trained on the validation rows). Deterministic under the seed.
    /// </summary>
    Adaptive = 1,
}

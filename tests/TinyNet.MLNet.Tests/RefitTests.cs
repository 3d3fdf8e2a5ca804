using Microsoft.ML;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// <see cref="TinyNetTrainerOptions.RefitOnAllRows"/>: the hold-out only chooses the epoch count E; the model returned is
/// the plain network trained on every row for E epochs from the same start.
/// </summary>
public sealed class RefitTests
{
    [Fact]
    public void The_refit_model_is_the_plain_fit_on_every_row_for_the_epochs_the_hold_out_chose()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        IDataView features = RealData.BreastCancerFeaturizer(ml, data).Fit(data).Transform(data);
        var holdOut = new TinyNetBinaryTrainer.Options { Procedure = TrainingProcedure.Plain, Seed = 3, NumberOfIterations = 60, EarlyStoppingPatience = 5 };
        TrainingHistory chosen = ml.BinaryClassification.Trainers.TinyNet(holdOut).Fit(features).Model.History!;
        Assert.NotNull(chosen.ValidationLoss);
        int epochs = chosen.BestEpoch;
        Assert.InRange(epochs, 1, 59);                      // early stopping picked an epoch before the last

        var refit = new TinyNetBinaryTrainer.Options { Procedure = TrainingProcedure.Plain, Seed = 3, NumberOfIterations = 60, EarlyStoppingPatience = 5, RefitOnAllRows = true };
        TinyNetModelParameters model = ml.BinaryClassification.Trainers.TinyNet(refit).Fit(features).Model;
        Assert.Equal(epochs, model.History!.EpochCount);
        Assert.Null(model.History.ValidationLoss);          // the returned run had no hold-out: every row trained

        var plain = new TinyNetBinaryTrainer.Options { Procedure = TrainingProcedure.Plain, Seed = 3, NumberOfIterations = epochs, ValidationFraction = 0 };
        TinyNetModelParameters expected = ml.BinaryClassification.Trainers.TinyNet(plain).Fit(features).Model;
        Assert.Equal(expected.W1.ToArray(), model.W1.ToArray());
        Assert.Equal(expected.W2.ToArray(), model.W2.ToArray());
    }

    [Fact]
    public void Without_a_hold_out_refit_changes_nothing()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        IDataView features = RealData.ConcreteFeaturizer(ml, data).Fit(data).Transform(data);
        var plain = new TinyNetRegressionTrainer.Options { Procedure = TrainingProcedure.Plain, Seed = 2, NumberOfIterations = 5 };   // ValidationFraction 0
        var refit = new TinyNetRegressionTrainer.Options { Procedure = TrainingProcedure.Plain, Seed = 2, NumberOfIterations = 5, RefitOnAllRows = true };
        Assert.Equal(ml.Regression.Trainers.TinyNet(plain).Fit(features).Model.W1.ToArray(), ml.Regression.Trainers.TinyNet(refit).Fit(features).Model.W1.ToArray());

        // With Fit(train, validation) the given set stops training and no refit follows: the validation history stays
        // (a refit on every row would return a model without one).
        var split = ml.Data.TrainTestSplit(features, testFraction: 0.2, seed: 1);
        var withValidation = new TinyNetRegressionTrainer.Options { Procedure = TrainingProcedure.Plain, Seed = 2, NumberOfIterations = 5, ValidationFraction = 0.1f, RefitOnAllRows = true };
        Assert.NotNull(ml.Regression.Trainers.TinyNet(withValidation).Fit(split.TrainSet, split.TestSet).Model.History!.ValidationLoss);
    }
}

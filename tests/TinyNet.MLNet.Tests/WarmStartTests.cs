using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// The trainers are ML.NET trainer estimators (<see cref="ITrainerEstimator{TTransformer, TModel}"/> with a
/// <see cref="TrainerInfo"/>) and continue training from a trained model, like L-BFGS's Fit(trainData, modelParameters).
/// </summary>
public class WarmStartTests
{
    [Fact]
    public void The_trainers_are_ML_NET_trainer_estimators_with_their_info()
    {
        var ml = new MLContext(seed: 1);
        ITrainerEstimator<TinyNetPredictionTransformer, TinyNetModelParameters> binary = ml.BinaryClassification.Trainers.TinyNet();
        ITrainerEstimator<TinyNetPredictionTransformer, TinyNetModelParameters> regression = ml.Regression.Trainers.TinyNet();
        foreach (TrainerInfo info in new[] { binary.Info, regression.Info })
        {
            Assert.False(info.NeedNormalization);       // TinyNet standardises its inputs itself
            Assert.True(info.WantCaching);
            // The other flags are internal to ML.NET (its own tooling reads them).
            Assert.True(Flag(info, "SupportsValidation"));
            Assert.True(Flag(info, "SupportsIncrementalTraining"));
            Assert.False(Flag(info, "NeedCalibration"));
        }
    }

    private static bool Flag(TrainerInfo info, string name) =>
        (bool)typeof(TrainerInfo).GetProperty(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)!.GetValue(info)!;

    [Fact]
    public void Continuing_a_saved_binary_model_starts_where_it_left_off_and_lowers_the_loss()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        IDataView features = RealData.BreastCancerFeaturizer(ml, data).Fit(data).Transform(data);
        var options = new TinyNetBinaryTrainer.Options { NumberOfIterations = 4, ValidationFraction = 0, Seed = 2, LearningRate = 0.003f };
        TinyNetPredictionTransformer first = ml.BinaryClassification.Trainers.TinyNet(options).Fit(features);

        // Through a saved file, as users continue training.
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-warm-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(first, features.Schema, path);
            var loaded = (TinyNetPredictionTransformer)new MLContext().Model.Load(path, out _);
            TinyNetPredictionTransformer continued = ml.BinaryClassification.Trainers.TinyNet(options).Fit(features, loaded.Model);
            TinyNetPredictionTransformer fresh = ml.BinaryClassification.Trainers.TinyNet(options).Fit(features);

            IReadOnlyList<double> a = first.Model.History!.TrainingLoss, c = continued.Model.History!.TrainingLoss;
            // The continuation's first epoch starts from the saved network: near the first run's last loss, far below
            // where a fresh start begins, and it ends lower still.
            Assert.True(c[0] < 0.5 * fresh.Model.History!.TrainingLoss[0], $"continued first epoch {c[0]}, fresh {fresh.Model.History.TrainingLoss[0]}");
            Assert.True(Math.Abs(c[0] - a[^1]) < 0.5 * a[^1], $"continued first epoch {c[0]}, first run's last {a[^1]}");
            Assert.True(c[^1] < a[^1], $"continued last {c[^1]}, first run's last {a[^1]}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Continuing_a_regression_model_keeps_its_label_scale()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        IDataView features = RealData.ConcreteFeaturizer(ml, data).Fit(data).Transform(data);
        var options = new TinyNetRegressionTrainer.Options { NumberOfIterations = 20, Seed = 2, Procedure = TrainingProcedure.Plain };
        TinyNetPredictionTransformer first = ml.Regression.Trainers.TinyNet(options).Fit(features);
        TinyNetPredictionTransformer continued = ml.Regression.Trainers.TinyNet(options).Fit(features, first.Model);
        double rmseFirst = ml.Regression.Evaluate(first.Transform(features)).RootMeanSquaredError;
        double rmseContinued = ml.Regression.Evaluate(continued.Transform(features)).RootMeanSquaredError;
        IReadOnlyList<double> a = first.Model.History!.TrainingLoss, c = continued.Model.History!.TrainingLoss;
        Assert.True(Math.Abs(c[0] - a[^1]) < 0.5 * a[^1], $"continued first epoch {c[0]}, first run's last {a[^1]}");
        Assert.True(rmseContinued < rmseFirst, $"training RMSE {rmseFirst:F3} after 20 epochs, {rmseContinued:F3} after 20 more");
    }

    [Fact]
    public void A_model_of_another_head_or_width_is_refused_naming_what_differs()
    {
        var ml = new MLContext(seed: 1);
        IDataView concrete = RealData.Concrete(ml);
        IDataView concreteFeatures = RealData.ConcreteFeaturizer(ml, concrete).Fit(concrete).Transform(concrete);
        IDataView cancer = RealData.BreastCancer(ml);
        IDataView cancerFeatures = RealData.BreastCancerFeaturizer(ml, cancer).Fit(cancer).Transform(cancer);
        var regressionOptions = new TinyNetRegressionTrainer.Options { NumberOfIterations = 1 };
        TinyNetModelParameters regression = ml.Regression.Trainers.TinyNet(regressionOptions).Fit(concreteFeatures).Model;   // D = 8

        var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(cancerFeatures, regression));
        Assert.Equal("modelParameters", e.ParamName);
        Assert.Contains("is a Regression model, but this trainer trains BinaryClassification", e.Message);

        // The cancer features (D = 30) with a Single label, for a regression trainer.
        IDataView cancerRegression = ml.Transforms.Conversion.ConvertType("Label", "Label", Microsoft.ML.Data.DataKind.Single).Fit(cancerFeatures).Transform(cancerFeatures);
        e = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.TinyNet(regressionOptions).Fit(cancerRegression, regression));
        Assert.Equal("modelParameters", e.ParamName);
        Assert.Contains("has D = 8 inputs, but the feature column 'Features' has 30 values", e.Message);
    }
}

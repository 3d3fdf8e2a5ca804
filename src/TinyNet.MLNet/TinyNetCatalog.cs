using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace TinyNet.MLNet;

/// <summary>TinyNet in ML.NET's catalogs: <c>mlContext.BinaryClassification.Trainers.TinyNet(...)</c> and <c>mlContext.Regression.Trainers.TinyNet(...)</c>.</summary>
public static class TinyNetCatalog
{
    /// <summary>A TinyNet binary classifier (sigmoid output, log-loss). It standardises its features itself; any normaliser before it, or none, gives the same model.</summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label column (Boolean).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional Single sample weights.</param>
    /// <param name="numberOfHiddenUnits">H, the hidden units.</param>
    /// <param name="learningRate">The Adam learning rate.</param>
    /// <param name="numberOfIterations">The number of epochs.</param>
    public static TinyNetBinaryTrainer TinyNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int numberOfHiddenUnits = 32, float learningRate = 0.01f, int numberOfIterations = 50) =>
        catalog.TinyNet(new TinyNetBinaryTrainer.Options
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, ExampleWeightColumnName = exampleWeightColumnName,
            NumberOfHiddenUnits = numberOfHiddenUnits, LearningRate = learningRate, NumberOfIterations = numberOfIterations,
        });

    /// <summary>A TinyNet binary classifier with all its settings.</summary>
    public static TinyNetBinaryTrainer TinyNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, TinyNetBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var env = MLNetInternals.Environment(catalog);
        MLNetInternals.Register(env.ComponentCatalog);
        return new TinyNetBinaryTrainer(env, options);
    }

    /// <summary>A TinyNet regressor (identity output, squared error). It standardises its features (and label) itself.</summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label column (Single).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional Single sample weights.</param>
    /// <param name="numberOfHiddenUnits">H, the hidden units.</param>
    /// <param name="learningRate">The Adam learning rate.</param>
    /// <param name="numberOfIterations">The number of epochs.</param>
    public static TinyNetRegressionTrainer TinyNet(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int numberOfHiddenUnits = 32, float learningRate = 0.01f, int numberOfIterations = 200) =>
        catalog.TinyNet(new TinyNetRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, ExampleWeightColumnName = exampleWeightColumnName,
            NumberOfHiddenUnits = numberOfHiddenUnits, LearningRate = learningRate, NumberOfIterations = numberOfIterations,
        });

    /// <summary>A TinyNet regressor with all its settings.</summary>
    public static TinyNetRegressionTrainer TinyNet(this RegressionCatalog.RegressionTrainers catalog, TinyNetRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var env = MLNetInternals.Environment(catalog);
        MLNetInternals.Register(env.ComponentCatalog);
        return new TinyNetRegressionTrainer(env, options);
    }

    /// <summary>
    /// Lets <c>mlContext.Model.Load</c> read models containing TinyNet. Call it once per MLContext before loading, in a
    /// process that has not built a TinyNet trainer on that context; calling it again does nothing.
    /// </summary>
    public static void RegisterTinyNet(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        MLNetInternals.Register(catalog);
    }
}

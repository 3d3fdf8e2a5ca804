using Microsoft.ML.Runtime;
using TinyNet.MLNet;

// In ML.NET's namespace, as ML.NET's own trainer packages put their catalog extensions (LightGbmExtensions,
// StandardTrainersCatalog): `using Microsoft.ML;` alone finds mlContext.BinaryClassification.Trainers.TinyNet().
namespace Microsoft.ML;

/// <summary>
/// TinyNet in ML.NET's catalogs: <c>mlContext.BinaryClassification.Trainers.TinyNet(...)</c>,
/// <c>mlContext.Regression.Trainers.TinyNet(...)</c> and <c>mlContext.MulticlassClassification.Trainers.TinyNet(...)</c>, each with a simple overload and an Options overload. The trainer and
/// model types are in the namespace <c>TinyNet.MLNet</c>.
/// </summary>
public static class TinyNetCatalog
{
    /// <summary>
    /// A TinyNet binary classifier (sigmoid output, log-loss) with the defaults of <see cref="TinyNetBinaryTrainer.Options.Defaults"/>.
    /// It standardises its features itself; any normaliser before it, or none, gives the same model.
    /// </summary>
    /// <param name="catalog">The binary classification trainers.</param>
    /// <param name="labelColumnName">The label column (Boolean).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional Single sample weights.</param>
    /// <param name="numberOfHiddenUnits">H, the hidden units.</param>
    /// <param name="learningRate">The Adam learning rate.</param>
    /// <param name="numberOfIterations">The most epochs (Fit(train) stops early on 10% of the rows it holds out).</param>
    public static TinyNetBinaryTrainer TinyNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int numberOfHiddenUnits = TinyNetBinaryTrainer.Options.Defaults.NumberOfHiddenUnits,
        float learningRate = TinyNetBinaryTrainer.Options.Defaults.LearningRate,
        int numberOfIterations = TinyNetBinaryTrainer.Options.Defaults.NumberOfIterations) =>
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

    /// <summary>
    /// A TinyNet regressor (identity output, squared error) with the defaults of <see cref="TinyNetRegressionTrainer.Options.Defaults"/>.
    /// It standardises its features (and label) itself.
    /// </summary>
    /// <param name="catalog">The regression trainers.</param>
    /// <param name="labelColumnName">The label column (Single).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional Single sample weights.</param>
    /// <param name="numberOfHiddenUnits">H, the hidden units.</param>
    /// <param name="learningRate">The Adam learning rate.</param>
    /// <param name="numberOfIterations">The number of epochs.</param>
    public static TinyNetRegressionTrainer TinyNet(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int numberOfHiddenUnits = TinyNetRegressionTrainer.Options.Defaults.NumberOfHiddenUnits,
        float learningRate = TinyNetRegressionTrainer.Options.Defaults.LearningRate,
        int numberOfIterations = TinyNetRegressionTrainer.Options.Defaults.NumberOfIterations) =>
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
    /// A TinyNet multiclass classifier (softmax output over K classes, cross-entropy) with the defaults of
    /// <see cref="TinyNetMulticlassTrainer.Options.Defaults"/>, like <c>LbfgsMaximumEntropy</c>: the label is a key (after
    /// <c>MapValueToKey</c>); Score holds the K class probabilities and PredictedLabel the most probable class's key.
    /// </summary>
    /// <param name="catalog">The multiclass classification trainers.</param>
    /// <param name="labelColumnName">The label column (a key type).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of Single).</param>
    /// <param name="exampleWeightColumnName">Optional Single sample weights.</param>
    /// <param name="numberOfHiddenUnits">H, the hidden units.</param>
    /// <param name="learningRate">The Adam learning rate.</param>
    /// <param name="numberOfIterations">The number of epochs.</param>
    public static TinyNetMulticlassTrainer TinyNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", string? exampleWeightColumnName = null,
        int numberOfHiddenUnits = TinyNetMulticlassTrainer.Options.Defaults.NumberOfHiddenUnits,
        float learningRate = TinyNetMulticlassTrainer.Options.Defaults.LearningRate,
        int numberOfIterations = TinyNetMulticlassTrainer.Options.Defaults.NumberOfIterations) =>
        catalog.TinyNet(new TinyNetMulticlassTrainer.Options
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, ExampleWeightColumnName = exampleWeightColumnName,
            NumberOfHiddenUnits = numberOfHiddenUnits, LearningRate = learningRate, NumberOfIterations = numberOfIterations,
        });

    /// <summary>A TinyNet multiclass classifier with all its settings.</summary>
    public static TinyNetMulticlassTrainer TinyNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TinyNetMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var env = MLNetInternals.Environment(catalog);
        MLNetInternals.Register(env.ComponentCatalog);
        return new TinyNetMulticlassTrainer(env, options);
    }

    /// <summary>
    /// Registers TinyNet's model loader with a component catalog explicitly. Not needed: <c>mlContext.Model.Load</c> finds
    /// it through the model file's header, in any process. Calling it (again) does nothing harmful.
    /// </summary>
    public static void RegisterTinyNet(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        MLNetInternals.Register(catalog);
    }
}

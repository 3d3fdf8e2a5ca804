using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// The permutation-feature-importance calls the ML.NET docs teach, on the whole fitted pipeline (not its last transformer)
/// and the data it transformed (ML.NET permutes the feature column's slots and rescores with the pipeline's predictor):
/// binary (ML.NET's binary overload on a whole model is the non-calibrated one), regression and multiclass, each reporting by feature name (the slot names
/// Concatenate gives), with the feature that matters most clearly ahead.
/// </summary>
public sealed class FeatureImportanceTests
{
    private static readonly string[] StrongestConcreteFeatures = ["cement", "age"];

    [Fact]
    public void Binary_PFI_on_the_pipeline_reports_by_feature_name()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        ITransformer model = RealData.BreastCancerFeaturizer(ml, data).Append(ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 20)).Fit(data);
        IDataView sample = model.Transform(ml.Data.TakeRows(data, 300));

        ImmutableDictionary<string, BinaryClassificationMetricsStatistics> nonCalibrated =
            ml.BinaryClassification.PermutationFeatureImportanceNonCalibrated(model, sample, permutationCount: 1);
        Assert.Equal(RealData.NumericColumns(data, "diagnosis").Order(), nonCalibrated.Keys.Order());
        Assert.True(nonCalibrated.Values.Min(m => m.AreaUnderRocCurve.Mean) < -0.001, "no feature mattered");
    }

    [Fact]
    public void Regression_PFI_on_the_pipeline_reports_by_feature_name()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        ITransformer model = RealData.ConcreteFeaturizer(ml, data).Append(ml.Regression.Trainers.TinyNet(numberOfIterations: 50)).Fit(data);
        ImmutableDictionary<string, RegressionMetricsStatistics> importance = ml.Regression.PermutationFeatureImportance(model, model.Transform(data), permutationCount: 1);
        Assert.Equal(RealData.NumericColumns(data, "compressive_strength").Order(), importance.Keys.Order());
        // Cement and age drive concrete strength: permuting either raises the RMSE far more than the weakest feature does.
        string top = importance.MaxBy(p => p.Value.RootMeanSquaredError.Mean).Key;
        Assert.Contains(top, StrongestConcreteFeatures);
        Assert.True(importance[top].RootMeanSquaredError.Mean > 3, $"{top}: ΔRMSE {importance[top].RootMeanSquaredError.Mean}");
    }

    [Fact]
    public void Multiclass_PFI_on_the_pipeline_reports_by_feature_name()
    {
        var ml = new MLContext(seed: 1);
        IDataView iris = MulticlassTests.Iris(ml);
        ITransformer model = MulticlassTests.Featurizer(ml).Append(ml.MulticlassClassification.Trainers.TinyNet()).Fit(iris);
        ImmutableDictionary<string, MulticlassClassificationMetricsStatistics> importance =
            ml.MulticlassClassification.PermutationFeatureImportance(model, model.Transform(iris), permutationCount: 2);
        Assert.Equal(["petal_length_cm", "petal_width_cm", "sepal_length_cm", "sepal_width_cm"], importance.Keys.Order());
        // The petals separate the species; the sepal width barely matters.
        Assert.True(importance["petal_length_cm"].MicroAccuracy.Mean < importance["sepal_width_cm"].MicroAccuracy.Mean - 0.05
            || importance["petal_width_cm"].MicroAccuracy.Mean < importance["sepal_width_cm"].MicroAccuracy.Mean - 0.05,
            string.Join(", ", importance.Select(p => $"{p.Key} {p.Value.MicroAccuracy.Mean:F3}")));
    }

    [Fact]
    public void Permutation_feature_importance_through_the_generic_overload()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        IDataView features = RealData.BreastCancerFeaturizer(ml, data).Fit(data).Transform(data);
        TinyNetPredictionTransformer model = ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 20).Fit(features);
        var importance = ml.BinaryClassification.PermutationFeatureImportance(model, features, permutationCount: 1);
        Assert.Equal(30, importance.Length);
        // Permuting some feature must hurt: the largest AUC drop is clearly negative.
        Assert.True(importance.Min(m => m.AreaUnderRocCurve.Mean) < -0.001, "no feature mattered");
    }
}

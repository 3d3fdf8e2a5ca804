using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>The README's pipeline, as written there: featurise, train, evaluate, save, load, predict.</summary>
public class ReadmeTests
{
    [Fact]
    public void The_readme_pipeline_runs()
    {
        var ml = new MLContext(seed: 0);
        IDataView data = ml.Data.LoadFromTextFile<CancerRow>(RealData.PathOf("breast_cancer.csv"), separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 0);

        var pipeline = ml.Transforms.Conversion.MapValue("Label",
                new[] { new KeyValuePair<string, bool>("malignant", true), new("benign", false) }, "diagnosis")
            .Append(ml.Transforms.Concatenate("Features", CancerRow.FeatureNames))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.BinaryClassification.Trainers.TinyNet());

        ITransformer model = pipeline.Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.AreaUnderRocCurve > 0.97, $"AUC {metrics.AreaUnderRocCurve}");

        string path = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            ITransformer loaded = new MLContext().Model.Load(path, out _);
            var engine = ml.Model.CreatePredictionEngine<CancerRow, CancerPrediction>(loaded);
            CancerRow someRow = ml.Data.CreateEnumerable<CancerRow>(split.TestSet, reuseRowObject: false).First();
            CancerPrediction p = engine.Predict(someRow);
            Assert.Equal(p.Probability >= 0.5f, p.PredictedLabel);
            Assert.Equal((float)(1 / (1 + Math.Exp(-p.Score))), p.Probability, 1e-6f);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>The README's multiclass pipeline, as written there.</summary>
public class ReadmeMulticlassTests
{
    [Fact]
    public void The_readme_multiclass_pipeline_runs()
    {
        var ml = new MLContext(seed: 0);
        IDataView data = ml.Data.LoadFromTextFile<MulticlassTests.IrisRow>(RealData.PathOf("iris.csv"), separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 0);

        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "class")               // the label must be a key
            .Append(ml.Transforms.Concatenate("Features", "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"))
            .Append(ml.MulticlassClassification.Trainers.TinyNet())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));

        ITransformer model = pipeline.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.MicroAccuracy >= 0.9, $"micro accuracy {metrics.MicroAccuracy}");
        Assert.True(metrics.LogLoss < 0.3, $"log-loss {metrics.LogLoss}");
        Assert.Equal(3, metrics.ConfusionMatrix.NumberOfClasses);

        var engine = ml.Model.CreatePredictionEngine<MulticlassTests.IrisRow, MulticlassTests.IrisPrediction>(model);
        MulticlassTests.IrisPrediction p = engine.Predict(new MulticlassTests.IrisRow { sepal_length_cm = 6.7f, sepal_width_cm = 3.0f, petal_length_cm = 5.8f, petal_width_cm = 2.2f });
        Assert.Equal("virginica", p.PredictedClass);
        Assert.Equal(1f, p.Score.Sum(), 1e-5f);
    }
}

public sealed class CancerPrediction
{
    public float Score { get; set; }

    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}

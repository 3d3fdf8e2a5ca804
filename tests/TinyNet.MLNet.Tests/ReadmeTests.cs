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

public sealed class CancerPrediction
{
    public float Score { get; set; }

    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// A row with a NaN feature, scored by TinyNet and by ML.NET's own trainer for the same task, through Transform and a
/// PredictionEngine: the predicted label is what ML.NET's scorers give (multiclass: key 0, the missing value; binary:
/// false), never a class picked by default.
/// </summary>
public sealed class NanScoringTests
{
    private static readonly MulticlassTests.IrisRow NanIris = new() { sepal_length_cm = float.NaN, sepal_width_cm = 3, petal_length_cm = 5, petal_width_cm = 2, @class = "virginica" };

    [Fact]
    public void Multiclass_gives_the_missing_key_for_a_NaN_row_as_LbfgsMaximumEntropy_does()
    {
        var ml = new MLContext(seed: 1);
        IDataView iris = MulticlassTests.Iris(ml);
        ITransformer tinyNet = MulticlassTests.Featurizer(ml).Append(ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 20)).Fit(iris);
        ITransformer lbfgs = MulticlassTests.Featurizer(ml).Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()).Fit(iris);
        IDataView rows = ml.Data.LoadFromEnumerable([NanIris]);

        uint peer = lbfgs.Transform(rows).GetColumn<uint>("PredictedLabel").Single();
        Assert.Equal(0u, peer);   // the yardstick
        Assert.Equal(peer, tinyNet.Transform(rows).GetColumn<uint>("PredictedLabel").Single());
        Assert.All(tinyNet.Transform(rows).GetColumn<float[]>("Score").Single(), p => Assert.True(float.IsNaN(p)));

        var engine = ml.Model.CreatePredictionEngine<MulticlassTests.IrisRow, KeyPrediction>(tinyNet);
        Assert.Equal(0u, engine.Predict(NanIris).PredictedLabel);
        // A finite row right after still gets its class, so the NaN rule does not stick.
        Assert.Equal(3u, engine.Predict(new MulticlassTests.IrisRow { sepal_length_cm = 6.7f, sepal_width_cm = 3, petal_length_cm = 5.8f, petal_width_cm = 2.2f }).PredictedLabel);

        // After MapKeyToValue: the missing class (empty), not 'setosa'.
        ITransformer named = tinyNet.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel").Fit(tinyNet.Transform(iris)));
        Assert.Equal("", named.Transform(rows).GetColumn<string>("PredictedClass").Single());
    }

    [Fact]
    public void Binary_predicts_false_for_a_NaN_row_as_LbfgsLogisticRegression_does()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        IEstimator<ITransformer> featurizer = RealData.BreastCancerFeaturizer(ml, data);
        ITransformer tinyNet = featurizer.Append(ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 5)).Fit(data);
        ITransformer lbfgs = featurizer.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(data);
        IDataView nan = NanRows(ml, data);

        bool[] peer = [.. lbfgs.Transform(nan).GetColumn<bool>("PredictedLabel")];
        Assert.All(peer, p => Assert.False(p));
        Assert.Equal(peer, tinyNet.Transform(nan).GetColumn<bool>("PredictedLabel"));
        Assert.All(tinyNet.Transform(nan).GetColumn<float>("Probability"), p => Assert.True(float.IsNaN(p)));
    }

    [Fact]
    public void Regression_scores_NaN_for_a_NaN_row_as_Sdca_does()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        IEstimator<ITransformer> featurizer = RealData.ConcreteFeaturizer(ml, data);
        ITransformer tinyNet = featurizer.Append(ml.Regression.Trainers.TinyNet(numberOfIterations: 5)).Fit(data);
        ITransformer sdca = featurizer.Append(ml.Regression.Trainers.Sdca()).Fit(data);
        IDataView nan = NanRows(ml, data);
        Assert.All(sdca.Transform(nan).GetColumn<float>("Score"), s => Assert.True(float.IsNaN(s)));
        Assert.All(tinyNet.Transform(nan).GetColumn<float>("Score"), s => Assert.True(float.IsNaN(s)));
    }

    /// <summary>The first five rows of <paramref name="data"/> with the first numeric column set to NaN.</summary>
    private static IDataView NanRows(MLContext ml, IDataView data)
    {
        string column = data.Schema.First(c => c.Type == NumberDataViewType.Single).Name;
        IDataView head = ml.Data.TakeRows(data, 5);
        return ml.Transforms.CustomMapping<NanInput, NanOutput>((_, o) => o.Value = float.NaN, contractName: null)
            .Append(ml.Transforms.DropColumns(column))
            .Append(ml.Transforms.CopyColumns(column, nameof(NanOutput.Value)))
            .Fit(head).Transform(head);
    }

    public sealed class NanInput
    {
    }

    public sealed class NanOutput
    {
        public float Value { get; set; }
    }

    public sealed class KeyPrediction
    {
        public uint PredictedLabel { get; set; }
    }
}

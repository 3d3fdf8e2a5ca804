using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// TinyNet standardises its features itself and folds that into w1 and b1, so the model does not
/// depend on the normaliser before it. ML.NET's default NormalizeMeanVariance does not centre (fixZero: true).
/// </summary>
public class FeatureScalingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Normalisers = ["mean-variance", "mean-variance-centred", "min-max", "none"];

    private static IEstimator<ITransformer> Normaliser(MLContext ml, string kind) => kind switch
    {
        "mean-variance" => ml.Transforms.NormalizeMeanVariance("Features"),                       // ML.NET's default: fixZero = true
        "mean-variance-centred" => ml.Transforms.NormalizeMeanVariance("Features", fixZero: false),
        "min-max" => ml.Transforms.NormalizeMinMax("Features"),
        _ => ml.Transforms.CopyColumns("Features", "Features"),
    };

    private static double BreastCancerAuc(string normaliser, bool standardize)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 2);
        var pipeline = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("malignant", true), new("benign", false) }, "diagnosis")
            .Append(ml.Transforms.Concatenate("Features", RealData.NumericColumns(data, "diagnosis")))
            .Append(Normaliser(ml, normaliser))
            .Append(ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { Seed = 3, StandardizeFeatures = standardize }));
        ITransformer model = pipeline.Fit(split.TrainSet);
        return ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(split.TestSet)).AreaUnderRocCurve;
    }

    private static double ConcreteRmse(string normaliser)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 2);
        var pipeline = ml.Transforms.CopyColumns("Label", "compressive_strength")
            .Append(ml.Transforms.Concatenate("Features", RealData.NumericColumns(data, "compressive_strength")))
            .Append(Normaliser(ml, normaliser))
            .Append(ml.Regression.Trainers.TinyNet(new TinyNetRegressionTrainer.Options { Seed = 3 }));   // the defaults
        ITransformer model = pipeline.Fit(split.TrainSet);
        return ml.Regression.Evaluate(model.Transform(split.TestSet)).RootMeanSquaredError;
    }

    [Fact]
    public void Every_normaliser_or_none_gives_the_same_AUC_on_breast_cancer()
    {
        double[] auc = [.. Normalisers.Select(n => BreastCancerAuc(n, standardize: true))];
        output.WriteLine($"AUC by normaliser ({string.Join(", ", Normalisers)}): {string.Join(", ", auc.Select(a => a.ToString("F4")))}");
        Assert.True(auc.Max() - auc.Min() <= 0.005, $"AUCs {string.Join(", ", auc.Select(a => a.ToString("F4")))}");
        Assert.True(auc.Min() > 0.97, $"AUCs {string.Join(", ", auc.Select(a => a.ToString("F4")))}");
    }

    [Fact]
    public void Every_normaliser_or_none_gives_the_same_RMSE_on_concrete()
    {
        double[] rmse = [.. Normalisers.Select(ConcreteRmse)];
        output.WriteLine($"RMSE by normaliser ({string.Join(", ", Normalisers)}): {string.Join(", ", rmse.Select(r => r.ToString("F3")))}");
        Assert.True(rmse.Max() <= 1.01 * rmse.Min(), $"RMSEs {string.Join(", ", rmse.Select(r => r.ToString("F3")))}");
    }

    [Fact]
    public void Without_it_raw_features_saturate_the_hidden_layer()
    {
        // The option does something: on the raw breast_cancer features (areas in the thousands) the unstandardised net is
        // clearly worse than the same net with standardisation.
        double off = BreastCancerAuc("none", standardize: false), on = BreastCancerAuc("none", standardize: true);
        output.WriteLine($"raw features: AUC {on:F4} with standardisation, {off:F4} without; ML.NET's default normaliser without: {BreastCancerAuc("mean-variance", standardize: false):F4}");
        Assert.True(on - off > 0.01, $"with standardisation {on:F4}, without {off:F4}");
    }

    [Fact]
    public void Folding_gives_the_network_on_the_features_as_given()
    {
        // z1 = w1′ · (x − μ) / σ + b1′ must equal the folded w1 · x + b1 for every row.
        var random = new Random(4);
        float[] x = [.. Enumerable.Range(0, 50 * 3).Select(i => (float)(random.NextDouble() * (i % 3 == 0 ? 1000 : 1) + (i % 3 == 1 ? 5 : 0)))];
        for (int i = 0; i < 50; i++)
        {
            x[i * 3 + 2] = 7f;                                             // a constant column: centred, σ taken as 1
        }

        DataSet data = DataSet.FromRowMajor(x, 3, new float[50]);
        FeatureScaling scaling = FeatureScaling.Of(data);
        DataSet scaled = scaling.Apply(data);
        Network trained = Network.CreateRandom(3, 4, Head.Regression, seed: 5);
        trained.B1[2] = 0.3;
        Network folded = trained.Clone();
        scaling.FoldInto(folded);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(trained.PredictLogit(scaled.Row(i)), folded.PredictLogit(data.Row(i)), 1e-5);
            Assert.Equal(0f, scaled.Row(i)[2]);
        }

        // Warm start undoes the fold: the unfolded network is the trained one again.
        Network unfolded = folded.Clone();
        scaling.UnfoldFrom(unfolded);
        for (int k = 0; k < trained.W1.Length; k++)
        {
            Assert.Equal(trained.W1[k], unfolded.W1[k], 1e-12);
        }

        for (int h = 0; h < trained.HiddenCount; h++)
        {
            Assert.Equal(trained.B1[h], unfolded.B1[h], 1e-9);
        }
    }

    [Fact]
    public void Constant_and_one_hot_columns_do_not_blow_up()
    {
        // credit_data has one-hot categoricals (rare levels) and no normaliser here; a constant column is appended.
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Credit(ml);
        string[] categorical = ["Home", "Marital", "Records", "Job"];
        string[] numeric = RealData.NumericColumns(data, "Status");
        var pipeline = ml.Transforms.Conversion.MapValue("Label", new[] { new KeyValuePair<string, bool>("bad", true), new("good", false) }, "Status")
            .Append(ml.Transforms.Categorical.OneHotEncoding([.. categorical.Select(c => new InputOutputColumnPair(c + "_1h", c))]))
            .Append(ml.Transforms.ReplaceMissingValues([.. numeric.Select(c => new InputOutputColumnPair(c + "_r", c))]))
            .Append(ml.Transforms.Expression("Constant", "x => x * 0 + 42", "Seniority_r"))
            .Append(ml.Transforms.Concatenate("Features", [.. categorical.Select(c => c + "_1h"), .. numeric.Select(c => c + "_r"), "Constant"]))
            .Append(ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { Seed = 3 }));
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 2);
        var model = pipeline.Fit(split.TrainSet);
        TinyNetPredictionTransformer tinyNet = model.LastTransformer;
        Assert.True(tinyNet.Model.ToNetwork().IsFinite());
        double auc = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(split.TestSet)).AreaUnderRocCurve;
        Assert.True(auc > 0.80, $"AUC {auc:F4}");
    }
}

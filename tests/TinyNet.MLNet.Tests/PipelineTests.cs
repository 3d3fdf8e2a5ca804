using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>TinyNet where SdcaLogisticRegression or FastTree would sit: featurise, fit, transform, evaluate, cross-validate.</summary>
public class PipelineTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Binary_pipeline_scores_breast_cancer_like_a_built_in_trainer(bool minMax)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);
        var pipeline = RealData.BreastCancerFeaturizer(ml, data, minMax).Append(ml.BinaryClassification.Trainers.TinyNet());
        var model = pipeline.Fit(split.TrainSet);
        IDataView scored = model.Transform(split.TestSet);

        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        Assert.Equal("BinaryClassification", Annotation(scored.Schema["Score"], "ScoreColumnKind"));
        Assert.Equal("Probability", Annotation(scored.Schema["Probability"], "ScoreValueKind"));

        float[] scores = [.. scored.GetColumn<float>("Score")];
        float[] probabilities = [.. scored.GetColumn<float>("Probability")];
        bool[] predicted = [.. scored.GetColumn<bool>("PredictedLabel")];
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.Equal((float)(1 / (1 + Math.Exp(-scores[i]))), probabilities[i], 1e-6f);
            Assert.Equal(probabilities[i] >= 0.5f, predicted[i]);
        }

        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(scored);
        Assert.True(metrics.AreaUnderRocCurve > 0.98, $"AUC {metrics.AreaUnderRocCurve}");
        Assert.True(metrics.Accuracy > 0.93, $"accuracy {metrics.Accuracy}");   // L-BFGS logistic regression: 0.97 on this split
        Assert.True(metrics.LogLoss < 0.25, $"log-loss {metrics.LogLoss}");
        BinaryClassificationMetrics nonCalibrated = ml.BinaryClassification.EvaluateNonCalibrated(scored);
        Assert.Equal(metrics.AreaUnderRocCurve, nonCalibrated.AreaUnderRocCurve, 1e-12);
    }

    [Fact]
    public void Credit_data_with_categoricals_and_missing_values()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Credit(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);
        var model = RealData.CreditFeaturizer(ml, data).Append(ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { NumberOfIterations = 30 })).Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.AreaUnderRocCurve > 0.78, $"AUC {metrics.AreaUnderRocCurve}");   // logistic regression reaches ~0.83 here
    }

    [Fact]
    public void Regression_pipeline_on_concrete()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var model = RealData.ConcreteFeaturizer(ml, data).Append(ml.Regression.Trainers.TinyNet()).Fit(split.TrainSet);
        IDataView scored = model.Transform(split.TestSet);
        Assert.Equal("Regression", Annotation(scored.Schema["Score"], "ScoreColumnKind"));
        Assert.Null(scored.Schema.GetColumnOrNull("Probability"));
        RegressionMetrics metrics = ml.Regression.Evaluate(scored);
        Assert.True(metrics.RSquared > 0.82, $"R² {metrics.RSquared}");                      // SDCA (linear) reaches 0.61 on this split
        Assert.True(metrics.RootMeanSquaredError < 7, $"RMSE {metrics.RootMeanSquaredError}");
    }

    [Fact]
    public void Cross_validation_works_for_both_tasks()
    {
        var ml = new MLContext(seed: 1);
        IDataView cancer = RealData.BreastCancer(ml);
        IDataView cancerFeatures = RealData.BreastCancerFeaturizer(ml, cancer).Fit(cancer).Transform(cancer);
        var binary = ml.BinaryClassification.CrossValidate(cancerFeatures, ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 30), numberOfFolds: 3);
        Assert.Equal(3, binary.Count);
        Assert.All(binary, fold => Assert.True(fold.Metrics.AreaUnderRocCurve > 0.97, $"fold AUC {fold.Metrics.AreaUnderRocCurve}"));

        IDataView concrete = RealData.Concrete(ml);
        IDataView concreteFeatures = RealData.ConcreteFeaturizer(ml, concrete).Fit(concrete).Transform(concrete);
        var regression = ml.Regression.CrossValidate(concreteFeatures, ml.Regression.Trainers.TinyNet(numberOfIterations: 60), numberOfFolds: 3);
        Assert.Equal(3, regression.Count);
        Assert.All(regression, fold => Assert.True(fold.Metrics.RSquared > 0.75, $"fold R² {fold.Metrics.RSquared}"));
    }

    [Fact]
    public void Prediction_engine_gives_the_same_scores_as_the_data_view()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        var model = RealData.BreastCancerFeaturizer(ml, data).Append(ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 20)).Fit(data);
        float[] viaView = [.. model.Transform(data).GetColumn<float>("Score")];
        var rows = ml.Data.CreateEnumerable<CancerRow>(data, reuseRowObject: false).Take(40).ToList();
        var engine = ml.Model.CreatePredictionEngine<CancerRow, BinaryPrediction>(model);
        for (int i = 0; i < rows.Count; i++)
        {
            BinaryPrediction p = engine.Predict(rows[i]);
            Assert.Equal(viaView[i], p.Score);
            Assert.Equal(p.Probability >= 0.5f, p.PredictedLabel);
        }
    }

    [Fact]
    public void Validation_set_enables_early_stopping_and_history()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 2);
        var featurizer = RealData.BreastCancerFeaturizer(ml, data).Fit(split.TrainSet);
        var trainer = ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { NumberOfIterations = 500, EarlyStoppingPatience = 5, EarlyStoppingTolerance = 0, NumberOfHiddenUnits = 64 });
        TinyNetPredictionTransformer model = trainer.Fit(featurizer.Transform(split.TrainSet), featurizer.Transform(split.TestSet));
        TrainingHistory history = model.Model.History!;
        Assert.True(history.StoppedEarly, $"ran {history.EpochCount} epochs");
        Assert.Equal(history.EpochCount, history.ValidationLoss!.Count);
        Assert.Equal(history.ValidationLoss.Min(), history.ValidationLoss[history.BestEpoch - 1]);   // tolerance 0: the best is the minimum
        Assert.Equal(30, model.Model.InputCount);
        Assert.Equal(64, model.Model.HiddenCount);
        Assert.Equal(64 * 30, model.Model.W1.Length);
        Assert.Equal(Head.BinaryClassification, model.Model.Head);
    }

    [Fact]
    public void Epochs_are_logged_through_the_MLContext_log()
    {
        var ml = new MLContext(seed: 1);
        var lines = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (lines)
            {
                lines.Add(e.Message);
            }
        };
        IDataView data = RealData.Concrete(ml);
        RealData.ConcreteFeaturizer(ml, data).Append(ml.Regression.Trainers.TinyNet(numberOfIterations: 3)).Fit(data);
        Assert.Contains(lines, l => l.Contains("TinyNet: read 1030 training rows, skipped 0"));
        Assert.Contains(lines, l => l.Contains("TinyNet: epoch 3, training loss"));
    }

    [Fact]
    public void Progress_and_cancellation_come_from_the_options()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        IDataView features = RealData.ConcreteFeaturizer(ml, data).Fit(data).Transform(data);
        using var cts = new CancellationTokenSource();
        var seen = new List<int>();
        var options = new TinyNetRegressionTrainer.Options { NumberOfIterations = 100, CancellationToken = cts.Token };
        options.Progress = new Callback(p =>
        {
            seen.Add(p.Epoch);
            if (p.Epoch == 2)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => ml.Regression.Trainers.TinyNet(options).Fit(features));
        Assert.Equal([1, 2], seen);
    }

    internal static string Annotation(DataViewSchema.Column column, string kind)
    {
        ReadOnlyMemory<char> value = default;
        column.Annotations.GetValue(kind, ref value);
        return value.ToString();
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class Callback(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

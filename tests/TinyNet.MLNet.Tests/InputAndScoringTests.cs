using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>Hardening through ML.NET: wrong-length vectors, all-zero weights, the reader's first allocation, the MLContext seed.</summary>
public class InputAndScoringTests
{
    private static (MLContext Ml, TinyNetPredictionTransformer Model) TrainOnTwoFeatures()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable([.. Enumerable.Range(0, 40).Select(i => new Row { Label = i % 2 == 0, Features = [i % 7, i % 2] })]);
        return (ml, ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 5).Fit(train));
    }

    /// <summary>
    /// A PredictionEngine fed null, [] or a shorter array used to return the previous row's score (or fill the missing slots
    /// from it); a longer one threw "Not large enough to hold these values". Now each names the column, the length found
    /// and the length expected.
    /// </summary>
    [Theory]
    [InlineData(null, 0)]
    [InlineData(new float[0], 0)]
    [InlineData(new float[] { 3 }, 1)]
    [InlineData(new float[] { 3, 1, 4 }, 3)]
    public void A_prediction_engine_refuses_a_feature_vector_of_the_wrong_length(float[]? features, int found)
    {
        (MLContext ml, TinyNetPredictionTransformer model) = TrainOnTwoFeatures();
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        float good = engine.Predict(new Row { Features = [5, 1] }).Score;   // a previous row whose values could leak
        var e = Assert.Throws<InvalidOperationException>(() => engine.Predict(new Row { Features = features! }));
        Assert.Contains("feature column 'Features'", e.Message);
        Assert.Contains($"holds {found} values", e.Message);
        Assert.Contains("trained on 2", e.Message);
        Assert.Equal(good, engine.Predict(new Row { Features = [5, 1] }).Score);   // the engine still works afterwards
    }

    [Fact]
    public void Transform_refuses_a_short_row_and_names_it()
    {
        (MLContext ml, TinyNetPredictionTransformer model) = TrainOnTwoFeatures();
        Row[] rows = [.. Enumerable.Range(0, 6).Select(i => new Row { Features = [i, 1] })];
        rows[4].Features = [4];
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        var e = Assert.Throws<InvalidOperationException>(() => scored.GetColumn<float>("Score").ToArray());
        Assert.Contains("row 4 of feature column 'Features' holds 1 values", e.Message);
    }

    [Fact]
    public void Training_refuses_a_short_row_and_names_it()
    {
        // It used to train on row 5 padded with row 4's second value.
        var ml = new MLContext(seed: 1);
        Row[] rows = [.. Enumerable.Range(0, 10).Select(i => new Row { Label = i % 2 == 0, Features = [i, 1] })];
        rows[5].Features = [5];
        var e = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("row 5 of feature column 'Features' has 1 values, but the column's type says 2", e.Message);
    }

    [Fact]
    public void All_zero_example_weights_are_refused_naming_the_weight_column()
    {
        // They used to train on nothing and return a model with loss 0; L-BFGS and SDCA refuse too.
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable([.. Enumerable.Range(0, 10).Select(i => new WeightedRow { Label = i % 2 == 0, Features = [i, 1], Importance = 0 })]);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet(exampleWeightColumnName: "Importance").Fit(data));
        Assert.Equal("ExampleWeightColumnName", e.ParamName);
        Assert.Contains("every one of the 10 rows has weight 0 in example weight column 'Importance'", e.Message);
    }

    [Fact]
    public void Reading_a_wide_short_view_allocates_for_its_rows_not_for_1024()
    {
        // D = 100,000 on 10 rows: the reader used to preallocate 1024 × D floats (410 MB) before reading a row.
        const int D = 100_000;
        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, D);
        IDataView data = ml.Data.LoadFromEnumerable(
            Enumerable.Range(0, 10).Select(i => new Row { Label = i % 2 == 0, Features = new float[D] }).ToList(), schema);
        var options = new TinyNetBinaryTrainer.Options();
        long before = GC.GetAllocatedBytesForCurrentThread();
        DataViewReader.Result result = DataViewReader.Read(data, options, "training");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10, result.Data.RowCount);
        Assert.True(allocated < 40_000_000, $"reading 10 rows of 100,000 floats allocated {allocated:N0} bytes");
    }

    /// <summary>Unset Seed means the MLContext's seed, as for ML.NET's own trainers; it used to be 0 whatever the context.</summary>
    [Fact]
    public void The_MLContext_seed_decides_the_model_unless_the_options_fix_one()
    {
        static double[] Train(int contextSeed, int? seed)
        {
            var ml = new MLContext(seed: contextSeed);
            IDataView data = RealData.BreastCancerFeaturizer(ml, RealData.BreastCancer(ml)).Fit(RealData.BreastCancer(ml)).Transform(RealData.BreastCancer(ml));
            var options = new TinyNetBinaryTrainer.Options { NumberOfIterations = 2, Seed = seed };
            return ml.BinaryClassification.Trainers.TinyNet(options).Fit(data).Model.W1.ToArray();
        }

        Assert.Equal(Train(1, null), Train(1, null));         // reproducible with a seeded context
        Assert.NotEqual(Train(1, null), Train(2, null));      // another context seed, another model
        Assert.Equal(Train(1, 7), Train(2, 7));               // an explicit seed wins over the context
    }

    /// <summary>Transform and PredictionEngine score through the float32 SIMD kernels; they must equal the double reference.</summary>
    [Fact]
    public void Transform_and_prediction_engine_scores_equal_the_double_reference_within_float_rounding()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = RealData.BreastCancer(ml);
        IDataView data = RealData.BreastCancerFeaturizer(ml, raw).Fit(raw).Transform(raw);
        TinyNetPredictionTransformer model = ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 10).Fit(data);
        Network reference = model.Model.ToNetwork();
        float[][] features = [.. data.GetColumn<float[]>("Features")];
        float[] scores = [.. model.Transform(data).GetColumn<float>("Score")];
        float[] probabilities = [.. model.Transform(data).GetColumn<float>("Probability")];
        double scale = 1 + reference.W2.Sum(Math.Abs) + Math.Abs(reference.B2[0]);
        for (int i = 0; i < features.Length; i++)
        {
            Assert.Equal(reference.PredictLogit(features[i]), scores[i], 2e-6 * scale);
            Assert.Equal(reference.Predict(features[i]), probabilities[i], 2e-6 * scale);
        }
    }

    public sealed class Row
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    public sealed class WeightedRow
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public float Importance { get; set; }
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// mlContext.MulticlassClassification.Trainers.TinyNet in ML.NET pipelines on the real iris data: key labels, the Score
/// vector and PredictedLabel key with the label's key values, Evaluate, CrossValidate, PredictionEngine, PFI, save and load
/// (also in a fresh process), warm start, and the errors for bad labels.
/// </summary>
public sealed class MulticlassTests : IDisposable
{
    private static readonly string[] Species = ["setosa", "versicolor", "virginica"];
    private readonly string _folder = Directory.CreateTempSubdirectory("tinynet-mc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public sealed class IrisPrediction
    {
        public float[] Score { get; set; } = [];

        public string PredictedClass { get; set; } = "";
    }

    public sealed class IrisRow
    {
        [LoadColumn(0)]
        public float sepal_length_cm { get; set; }

        [LoadColumn(1)]
        public float sepal_width_cm { get; set; }

        [LoadColumn(2)]
        public float petal_length_cm { get; set; }

        [LoadColumn(3)]
        public float petal_width_cm { get; set; }

        [LoadColumn(4)]
        public string @class { get; set; } = "";
    }

    internal static IDataView Iris(MLContext ml) => ml.Data.LoadFromTextFile<IrisRow>(RealData.PathOf("iris.csv"), separatorChar: ',', hasHeader: true);

    internal static IEstimator<ITransformer> Featurizer(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "class")
            .Append(ml.Transforms.Concatenate("Features", "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));

    private static IEstimator<ITransformer> Pipeline(MLContext ml, TinyNetMulticlassTrainer? trainer = null) =>
        Featurizer(ml).Append(trainer ?? ml.MulticlassClassification.Trainers.TinyNet())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));

    [Fact]
    public void Trains_and_evaluates_on_iris_with_the_columns_ML_NET_expects()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(Iris(ml), testFraction: 0.3, seed: 5);
        ITransformer model = Pipeline(ml).Fit(split.TrainSet);
        IDataView scored = model.Transform(split.TestSet);

        DataViewSchema.Column score = scored.Schema["Score"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        VBuffer<ReadOnlyMemory<char>> slots = default;
        score.GetSlotNames(ref slots);
        Assert.Equal(Species, slots.DenseValues().Select(s => s.ToString()));
        DataViewSchema.Column predicted = scored.Schema["PredictedLabel"];
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), predicted.Type);
        VBuffer<ReadOnlyMemory<char>> keys = default;
        predicted.GetKeyValues(ref keys);
        Assert.Equal(Species, keys.DenseValues().Select(s => s.ToString()));

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy >= 0.9, $"micro accuracy {metrics.MicroAccuracy}");
        Assert.True(metrics.MacroAccuracy >= 0.9, $"macro accuracy {metrics.MacroAccuracy}");
        Assert.InRange(metrics.LogLoss, 0, 0.5);
        Assert.True(metrics.LogLossReduction > 0.5, $"log-loss reduction {metrics.LogLossReduction}");
        Assert.Equal(3, metrics.PerClassLogLoss.Count);
        Assert.Equal(3, metrics.ConfusionMatrix.NumberOfClasses);
        Assert.Equal(split.TestSet.GetColumn<string>("class").Count(), metrics.ConfusionMatrix.Counts.Sum(r => r.Sum()));

        // The probabilities sum to 1; PredictedLabel is the most probable; MapKeyToValue gives the species back.
        float[][] scores = [.. scored.GetColumn<float[]>("Score")];
        uint[] keysPredicted = [.. scored.GetColumn<uint>("PredictedLabel")];
        string[] names = [.. scored.GetColumn<string>("PredictedClass")];
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.Equal(1.0, scores[i].Sum(), 1e-5);
            int best = Array.IndexOf(scores[i], scores[i].Max());
            Assert.Equal((uint)best + 1, keysPredicted[i]);
            Assert.Equal(Species[best], names[i]);
        }
    }

    [Fact]
    public void Scores_match_the_Core_network_in_double()
    {
        var ml = new MLContext(seed: 2);
        IDataView data = Iris(ml);
        ITransformer featurizer = Featurizer(ml).Fit(data);
        IDataView features = featurizer.Transform(data);
        TinyNetPredictionTransformer tinyNet = ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 30).Fit(features);
        Assert.Equal(Head.MulticlassClassification, tinyNet.Model.Head);
        Assert.Equal(3, tinyNet.Model.OutputCount);
        Assert.Equal(Species, tinyNet.Model.ClassNames);
        Assert.Equal(3 * tinyNet.Model.HiddenCount, tinyNet.Model.W2.Length);
        Network network = tinyNet.Model.ToNetwork();
        var expected = new double[3];
        foreach ((float[] x, float[] p) in features.GetColumn<float[]>("Features").Zip(tinyNet.Transform(features).GetColumn<float[]>("Score")))
        {
            network.PredictProbabilities(x, expected);
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(expected[k], p[k], 2e-6);                          // float32 SIMD scorer vs the double reference
            }
        }
    }

    [Fact]
    public void PredictionEngine_gives_the_class_name_and_the_probabilities()
    {
        var ml = new MLContext(seed: 3);
        ITransformer model = Pipeline(ml).Fit(Iris(ml));
        var engine = ml.Model.CreatePredictionEngine<IrisRow, IrisPrediction>(model);
        IrisPrediction p = engine.Predict(new IrisRow { sepal_length_cm = 5.1f, sepal_width_cm = 3.5f, petal_length_cm = 1.4f, petal_width_cm = 0.2f });
        Assert.Equal("setosa", p.PredictedClass);
        Assert.Equal(3, p.Score.Length);
        Assert.True(p.Score[0] > 0.9, $"P(setosa) = {p.Score[0]}");
        IrisPrediction q = engine.Predict(new IrisRow { sepal_length_cm = 6.7f, sepal_width_cm = 3.0f, petal_length_cm = 5.8f, petal_width_cm = 2.2f });
        Assert.Equal("virginica", q.PredictedClass);
    }

    [Fact]
    public void CrossValidate_gives_a_metric_per_fold()
    {
        var ml = new MLContext(seed: 4);
        IDataView features = Featurizer(ml).Fit(Iris(ml)).Transform(Iris(ml));
        var results = ml.MulticlassClassification.CrossValidate(features, ml.MulticlassClassification.Trainers.TinyNet(), numberOfFolds: 3);
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Metrics.MicroAccuracy > 0.85, $"fold {r.Fold}: {r.Metrics.MicroAccuracy}"));
    }

    [Fact]
    public void Permutation_feature_importance_ranks_the_petal_measurements_first()
    {
        var ml = new MLContext(seed: 5);
        IDataView features = Featurizer(ml).Fit(Iris(ml)).Transform(Iris(ml));
        TinyNetPredictionTransformer tinyNet = ml.MulticlassClassification.Trainers.TinyNet().Fit(features);
        var importance = ml.MulticlassClassification.PermutationFeatureImportance(tinyNet, features, permutationCount: 3);
        double[] drop = [.. importance.Select(m => -m.MicroAccuracy.Mean)];      // slot order: sepal l, sepal w, petal l, petal w
        Assert.Equal(4, drop.Length);
        Assert.True(Math.Max(drop[2], drop[3]) > Math.Max(drop[0], drop[1]), string.Join(", ", drop));
    }

    [Fact]
    public void A_saved_pipeline_loads_in_a_fresh_process_with_bit_identical_scores_and_class_names()
    {
        var ml = new MLContext(seed: 6);
        IDataView data = Iris(ml);
        ITransformer model = Pipeline(ml, ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 30)).Fit(data);
        string path = Path.Combine(_folder, "iris.zip");
        ml.Model.Save(model, data.Schema, path);
        IDataView scored = model.Transform(data);
        string[] expected = [.. scored.GetColumn<float[]>("Score").Zip(scored.GetColumn<string>("PredictedClass"),
            (s, c) => string.Join(' ', s.Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8"))) + " " + c)];

        ITransformer loaded = new MLContext(seed: 9).Model.Load(path, out _);
        Assert.Equal(scored.GetColumn<float[]>("Score").SelectMany(s => s), loaded.Transform(data).GetColumn<float[]>("Score").SelectMany(s => s));

        // The probe reads every CSV column as Single or Text by the saved schema; class is Text.
        (int exit, string stdout, string stderr) = SaveLoadTests.RunProbe(path, RealData.PathOf("iris.csv"), "--no-register");
        Assert.True(exit == 0, stderr);
        Assert.Equal(expected, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// A multiclass payload (format 2) tampered with as a deliberate tamperer would (the checksum recomputed): K, the class
    /// list's count and type tag set to impossible values are refused naming the field; a byte flipped without the
    /// checksum is refused as corrupted. Never a model with different scores.
    /// </summary>
    [Theory]
    [InlineData("K", int.MinValue, "its shape is impossible")]
    [InlineData("K", 1, "its shape is impossible")]
    [InlineData("K", 2, "damaged")]
    [InlineData("K", 4, "damaged")]
    [InlineData("K", int.MaxValue, "its shape is impossible")]
    [InlineData("class count", 4, "the class list holds 4 classes but the network has K = 3")]
    [InlineData("class tag", 99, "the class labels' type tag is 99")]
    [InlineData("format", 1, "its shape is impossible for a payload of")]
    public void A_tampered_multiclass_payload_is_refused_naming_the_field(string field, int value, string message)
    {
        var ml = new MLContext(seed: 13);
        IDataView data = Iris(ml);
        ITransformer model = Pipeline(ml, ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 3)).Fit(data);
        string path = Path.Combine(_folder, $"{field}-{value}.zip");
        ml.Model.Save(model, data.Schema, path);
        SaveLoadTests.EditTinyNetEntry(path, bytes =>
        {
            int at = SaveLoadTests.IndexOfMagic(bytes);
            int length = BitConverter.ToInt32(bytes, at + 8);
            Span<byte> payload = bytes.AsSpan(at + 12, length);
            // Payload: head, D, H, K (int32 each), w1, b1, w2, b2 (doubles), the feature name, the class count and tag.
            const int d = 4, k = 3;
            int h = TinyNetMulticlassTrainer.Options.Defaults.NumberOfHiddenUnits;
            int classes = 16 + 8 * (d * h + h + k * h + k) + 1 + "Features".Length;
            switch (field)
            {
                case "K": BitConverter.TryWriteBytes(payload[12..], value); break;
                case "class count": BitConverter.TryWriteBytes(payload[classes..], value); break;
                case "class tag": payload[classes + 4] = (byte)value; break;
                default: BitConverter.TryWriteBytes(bytes.AsSpan(at + 4), value); break;   // the format version
            }

            ulong hash = 14695981039346656037UL;                                          // FNV-1a, as the writer
            foreach (byte b in payload)
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            BitConverter.TryWriteBytes(bytes.AsSpan(at + 12 + length), hash);
        });
        Exception e = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
        Assert.IsType<InvalidDataException>(e.GetBaseException());
        Assert.Contains(message, e.GetBaseException().Message);
    }

    [Fact]
    public void A_byte_flipped_in_a_multiclass_payload_is_caught_by_the_checksum()
    {
        var ml = new MLContext(seed: 14);
        IDataView data = Iris(ml);
        ITransformer model = Pipeline(ml, ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 3)).Fit(data);
        var random = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            string path = Path.Combine(_folder, $"flip-{trial}.zip");
            ml.Model.Save(model, data.Schema, path);
            SaveLoadTests.EditTinyNetEntry(path, bytes =>
            {
                int at = SaveLoadTests.IndexOfMagic(bytes);
                int length = BitConverter.ToInt32(bytes, at + 8);
                bytes[at + 12 + random.Next(length)] ^= (byte)random.Next(1, 256);
            });
            Exception e = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
            Assert.Contains("checksum does not match", e.GetBaseException().Message);
        }
    }

    [Fact]
    public void Numeric_key_values_come_back_with_their_type()
    {
        var ml = new MLContext(seed: 7);
        var rows = Enumerable.Range(0, 90).Select(i => new NumericLabelRow { Label = 10f * (i % 3), X = [i % 3 + 0.1f * (i % 5), -(i % 3)] });
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        ITransformer model = ml.Transforms.Conversion.MapValueToKey("Key", "Label")
            .Append(ml.MulticlassClassification.Trainers.TinyNet("Key", "X", numberOfIterations: 50))
            .Append(ml.Transforms.Conversion.MapKeyToValue("Predicted", "PredictedLabel"))
            .Fit(data);
        IDataView scored = model.Transform(data);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Predicted"].Type);
        float[] predicted = [.. scored.GetColumn<float>("Predicted")];
        Assert.True(predicted.Zip(rows.Select(r => r.Label)).Count(p => p.First == p.Second) >= 85, string.Join(",", predicted));
    }

    public sealed class NumericLabelRow
    {
        public float Label { get; set; }

        [VectorType(2)]
        public float[] X { get; set; } = [];
    }

    [Fact]
    public void A_label_that_is_not_a_key_says_to_use_MapValueToKey()
    {
        var ml = new MLContext(seed: 8);
        IDataView data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new NumericLabelRow { Label = i % 3, X = [i, 1] }));
        var trainer = ml.MulticlassClassification.Trainers.TinyNet("Label", "X");
        var e = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("needs a key type", e.Message);
        Assert.Contains("MapValueToKey(\"Label\")", e.Message);
    }

    [Fact]
    public void A_key_with_one_class_is_refused()
    {
        var ml = new MLContext(seed: 9);
        IDataView data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new NumericLabelRow { Label = 4, X = [i, 1] }));
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data).Transform(data);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.TinyNet("Key", "X").Fit(keyed));
        Assert.Contains("key over 1 value(s)", e.Message);
        Assert.Contains("at least 2 classes", e.Message);
    }

    [Fact]
    public void A_missing_label_names_the_row_and_can_be_skipped()
    {
        var ml = new MLContext(seed: 10);
        IDataView known = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 30).Select(i => new NumericLabelRow { Label = i % 3, X = [i % 3, 1] }));
        IDataView withUnknown = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 30).Select(i => new NumericLabelRow { Label = i == 7 ? 99 : i % 3, X = [i % 3, 1] }));
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(known).Transform(withUnknown);   // 99 → key 0 (missing)
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.TinyNet("Key", "X").Fit(keyed));
        Assert.Contains("row 7", e.Message);
        Assert.Contains("missing label", e.Message);
        var options = new TinyNetMulticlassTrainer.Options { LabelColumnName = "Key", FeatureColumnName = "X", SkipRowsWithMissingValues = true, NumberOfIterations = 5 };
        Assert.Equal(3, ml.MulticlassClassification.Trainers.TinyNet(options).Fit(keyed).Model.OutputCount);
    }

    public sealed class KeyRow
    {
        [KeyType(3)]
        public uint Key { get; set; }

        [VectorType(2)]
        public float[] X { get; set; } = [];
    }

    /// <summary>
    /// A class value beyond the key type: ML.NET's LoadFromEnumerable reads a [KeyType(3)] property's 0, 1, 2 as keys 1 … 3
    /// and anything else as the missing key 0, so it reaches TinyNet as a missing label, named by its row. (TinyNet also
    /// refuses a raw key above the count, which ML.NET's own views do not produce.)
    /// </summary>
    [Fact]
    public void A_class_value_beyond_the_key_type_names_the_row()
    {
        var ml = new MLContext(seed: 15);
        IDataView data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 12).Select(i => new KeyRow { Key = i == 9 ? 5u : (uint)(i % 3), X = [i % 3, 1] }));
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.TinyNet("Key", "X").Fit(data));
        Assert.Contains("row 9 has a missing label (key 0", e.Message);
        var options = new TinyNetMulticlassTrainer.Options { LabelColumnName = "Key", FeatureColumnName = "X", SkipRowsWithMissingValues = true, NumberOfIterations = 3 };
        Assert.Equal(3, ml.MulticlassClassification.Trainers.TinyNet(options).Fit(data).Model.OutputCount);
    }

    [Fact]
    public void A_class_absent_from_the_training_rows_still_gets_an_output()
    {
        var ml = new MLContext(seed: 11);
        IDataView all = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 30).Select(i => new NumericLabelRow { Label = i % 3, X = [i % 3, 1] }));
        IDataView twoClasses = ml.Data.FilterRowsByColumn(all, "Label", upperBound: 1.5);
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(all).Transform(twoClasses);
        TinyNetPredictionTransformer model = ml.MulticlassClassification.Trainers.TinyNet("Key", "X", numberOfIterations: 5).Fit(keyed);
        Assert.Equal(3, model.Model.OutputCount);
    }

    [Fact]
    public void Warm_start_continues_from_a_trained_model_and_refuses_another_class_count()
    {
        var ml = new MLContext(seed: 12);
        IDataView features = Featurizer(ml).Fit(Iris(ml)).Transform(Iris(ml));
        var options = new TinyNetMulticlassTrainer.Options { NumberOfIterations = 5, ValidationFraction = 0, Seed = 1 };
        TinyNetMulticlassTrainer trainer = ml.MulticlassClassification.Trainers.TinyNet(options);
        TinyNetPredictionTransformer first = trainer.Fit(features);
        TinyNetPredictionTransformer second = trainer.Fit(features, first.Model);
        Assert.True(second.Model.History!.TrainingLoss[0] < first.Model.History!.TrainingLoss[0]);
        Assert.True(second.Model.History.TrainingLoss[^1] < first.Model.History.TrainingLoss[^1]);

        IDataView twoClassKey = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new NumericLabelRow { Label = i % 2, X = [i, 1] }));
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(twoClassKey).Transform(twoClassKey);
        var other = new MLContext(seed: 1).MulticlassClassification.Trainers.TinyNet("Key", "X");
        TinyNetPredictionTransformer two = other.Fit(keyed);
        var e = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(features, two.Model));
        Assert.Contains("D = 2", e.Message);

        // The same D = 4 features, but a label key over two of the three species: the class count is refused by name.
        IDataView twoSpecies = ml.Data.FilterRowsByColumn(Iris(ml), "petal_length_cm", upperBound: 4.5);
        IDataView twoSpeciesFeatures = Featurizer(ml).Fit(twoSpecies).Transform(twoSpecies);
        TinyNetPredictionTransformer twoClasses = ml.MulticlassClassification.Trainers.TinyNet(options).Fit(twoSpeciesFeatures);
        Assert.Equal(2, twoClasses.Model.OutputCount);
        e = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(features, twoClasses.Model));
        Assert.Contains("modelParameters has K = 2 classes, but the label column 'Label' is a key over 3", e.Message);
    }
}

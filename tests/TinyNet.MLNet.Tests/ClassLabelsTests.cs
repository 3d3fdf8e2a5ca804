using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>
/// The classes of a multiclass model are matched by key value, never by key index: warm start and validation sets keyed in
/// another order mean the same classes; Int64 class values keep every digit; key types and validation-set schemas that
/// cannot work are refused naming the set and the fix.
/// </summary>
public sealed class ClassLabelsTests
{
    private static readonly string[] Species = ["setosa", "versicolor", "virginica"];

    /// <summary>Iris with the label keyed in the given class order (MapValueToKey with explicit key data).</summary>
    private static IDataView Keyed(MLContext ml, IDataView rows, string[] order)
    {
        IDataView keyData = ml.Data.LoadFromEnumerable(order.Select(c => new ClassValue { Value = c }));
        return ml.Transforms.Conversion.MapValueToKey("Label", "class", keyData: keyData)
            .Append(ml.Transforms.Concatenate("Features", "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"))
            .Fit(rows).Transform(rows);
    }

    private static string[] PredictedClasses(MLContext ml, ITransformer model, IDataView data) =>
        [.. ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel").Fit(model.Transform(data))
            .Transform(model.Transform(data)).GetColumn<string>("PredictedClass")];

    [Fact]
    public void Warm_start_on_the_same_classes_keyed_in_another_order_maps_them_by_value()
    {
        var ml = new MLContext(seed: 1);
        IDataView iris = MulticlassTests.Iris(ml);
        string[] truth = [.. iris.GetColumn<string>("class")];
        IDataView bca = Keyed(ml, iris, ["versicolor", "virginica", "setosa"]);
        IDataView abc = Keyed(ml, iris, Species);
        TinyNetPredictionTransformer first = ml.MulticlassClassification.Trainers.TinyNet(new TinyNetMulticlassTrainer.Options { Seed = 3 }).Fit(bca);
        string[] before = PredictedClasses(ml, first, bca);
        double accuracy = before.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        Assert.True(accuracy > 0.9, $"training accuracy {accuracy}");

        // A step too small to move anything: the continued model must predict the same class values (it used to keep the
        // old output order under the new labels: accuracy 1.000 → 0.000).
        var tiny = new TinyNetMulticlassTrainer.Options { Seed = 3, NumberOfIterations = 1, LearningRate = 1e-6f };
        TinyNetPredictionTransformer continued = ml.MulticlassClassification.Trainers.TinyNet(tiny).Fit(abc, first.Model);
        Assert.Equal(Species, continued.Model.ClassNames);
        Assert.Equal(before, PredictedClasses(ml, continued, abc));

        // Each class's probability follows its class, whatever its slot.
        float[] p0 = first.Transform(bca).GetColumn<float[]>("Score").First(), p1 = continued.Transform(abc).GetColumn<float[]>("Score").First();
        for (int k = 0; k < 3; k++)
        {
            int j = Array.IndexOf(first.Model.ClassNames.ToArray(), Species[k]);
            Assert.True(Math.Abs(p1[k] - p0[j]) < 1e-3, $"class {Species[k]}: {p1[k]} after, {p0[j]} before");
        }
    }

    [Fact]
    public void Warm_start_on_a_class_the_model_lacks_is_refused_naming_both_class_lists()
    {
        var ml = new MLContext(seed: 1);
        IDataView iris = MulticlassTests.Iris(ml);
        TinyNetPredictionTransformer first = ml.MulticlassClassification.Trainers.TinyNet(numberOfIterations: 2).Fit(Keyed(ml, iris, Species));
        var options = new TinyNetMulticlassTrainer.Options { NumberOfIterations = 1, SkipRowsWithMissingValues = true };
        var e = Assert.Throws<ArgumentException>(() =>
            ml.MulticlassClassification.Trainers.TinyNet(options).Fit(Keyed(ml, iris, ["setosa", "versicolor", "daisy"]), first.Model));
        Assert.Equal("modelParameters", e.ParamName);
        Assert.Contains("trained on the classes ['setosa', 'versicolor', 'virginica'] (Text)", e.Message);
        Assert.Contains("keyed over ['setosa', 'versicolor', 'daisy'] (Text): class 'daisy' is not one of the model's", e.Message);
    }

    [Fact]
    public void A_validation_set_keyed_in_another_order_gives_the_same_training_as_one_keyed_like_training()
    {
        var ml = new MLContext(seed: 1);
        IDataView iris = MulticlassTests.Iris(ml);
        var split = ml.Data.TrainTestSplit(iris, testFraction: 0.3, seed: 2);
        IDataView train = Keyed(ml, split.TrainSet, Species);
        var options = new TinyNetMulticlassTrainer.Options { Seed = 4, NumberOfIterations = 30, EarlyStoppingPatience = 3 };
        TrainingHistory same = ml.MulticlassClassification.Trainers.TinyNet(options).Fit(train, Keyed(ml, split.TestSet, Species)).Model.History!;
        TrainingHistory other = ml.MulticlassClassification.Trainers.TinyNet(options)
            .Fit(train, Keyed(ml, split.TestSet, ["virginica", "setosa", "versicolor"])).Model.History!;
        Assert.Equal(same.ValidationLoss, other.ValidationLoss);   // it used to stop at epoch 2 of 7 on a misread validation set
        Assert.Equal(same.BestEpoch, other.BestEpoch);
        Assert.Equal(same.TrainingLoss, other.TrainingLoss);
    }

    [Fact]
    public void A_validation_row_of_a_class_training_lacks_is_refused_naming_the_row_and_the_class()
    {
        var ml = new MLContext(seed: 1);
        IDataView iris = MulticlassTests.Iris(ml);
        IDataView twoSpecies = ml.Data.FilterRowsByColumn(iris, "petal_length_cm", upperBound: 4.5);   // setosa, versicolor
        IDataView train = Keyed(ml, twoSpecies, ["setosa", "versicolor"]);
        IDataView validation = Keyed(ml, iris, ["virginica", "setosa", "versicolor"]);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.TinyNet().Fit(train, validation));
        Assert.Contains("validation: row 100 of label column 'Label' holds class 'virginica', which the training label does not have", e.Message);
        Assert.Contains("['setosa', 'versicolor'] (Text)", e.Message);
    }

    [Fact]
    public void Int64_class_values_above_2_to_the_53_come_back_exactly_also_after_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        long[] ids = [(1L << 53) + 1, (1L << 53) + 3, (1L << 53) + 5];
        var random = new Random(7);
        IDataView rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 90).Select(i => new IdRow
        {
            Id = ids[i % 3],
            X = [(i % 3) + 0.1f * (float)random.NextDouble(), 1 - (i % 3) + 0.1f * (float)random.NextDouble()],
        }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Id")
            .Append(ml.MulticlassClassification.Trainers.TinyNet(new TinyNetMulticlassTrainer.Options { FeatureColumnName = "X" }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedId", "PredictedLabel"));
        ITransformer model = pipeline.Fit(rows);
        long[] truth = [.. rows.GetColumn<long>("Id")];
        Assert.Equal(truth, model.Transform(rows).GetColumn<long>("PredictedId"));   // they used to come back as …992 and …996

        using var file = new MemoryStream();
        ml.Model.Save(model, rows.Schema, file);
        ITransformer loaded = new MLContext().Model.Load(new MemoryStream(file.ToArray()), out _);
        Assert.Equal(truth, loaded.Transform(rows).GetColumn<long>("PredictedId"));
        var tinyNet = ((TransformerChain<ITransformer>)loaded).OfType<TinyNetPredictionTransformer>().Single();
        Assert.Equal(["9007199254740993", "9007199254740995", "9007199254740997"], tinyNet.Model.ClassNames);
    }

    [Fact]
    public void A_format_2_model_file_with_Int64_classes_stored_as_doubles_still_reads()
    {
        using var bytes = new MemoryStream();
        using (var w = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(3);
            w.Write((byte)6);   // format 2's Int64 tag: values as doubles
            foreach (double v in new[] { -5.0, 0.0, 1L << 52 })
            {
                w.Write(v);
            }
        }

        bytes.Position = 0;
        ClassLabels classes = ClassLabels.Read(new BinaryReader(bytes), 3, 2, m => new InvalidDataException(m));
        Assert.Equal(["-5", "0", "4503599627370496"], classes.Names);
        Assert.Equal(3, classes.PayloadFormat);   // written again as format 3
    }

    [Fact]
    public void A_key_label_of_another_raw_type_names_the_key_type_MapValueToKey_makes()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-u64-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["0,1,2", "1,2,3", "2,3,4", "0,1,1"]);
        try
        {
            IDataView data = ml.Data.LoadFromTextFile(path, [
                new TextLoader.Column("Label", DataKind.UInt64, [new TextLoader.Range(0)], new KeyCount(3)),
                new TextLoader.Column("Features", DataKind.Single, 1, 2),
            ], separatorChar: ',');
            var e = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.TinyNet().Fit(data));
            Assert.Contains("Schema mismatch for label column 'Label': expected Key<UInt32>, got Key<UInt64, 0-2> in the training data", e.Message);
            Assert.DoesNotContain("needs a key type", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_key_over_too_many_classes_for_memory_is_refused_naming_K_and_the_ML_NET_option()
    {
        var ml = new MLContext(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-k-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["0,1,2", "1,2,3", "1,3,4"]);
        try
        {
            IDataView data = ml.Data.LoadFromTextFile(path, [
                new TextLoader.Column("Label", DataKind.UInt32, [new TextLoader.Range(0)], new KeyCount(2_000_000_000)),
                new TextLoader.Column("Features", DataKind.Single, 1, 2),
            ], separatorChar: ',');
            var e = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.TinyNet().Fit(data));
            Assert.Equal(nameof(TinyNetTrainerOptions.NumberOfHiddenUnits), e.ParamName);
            Assert.Contains("K = 2000000000 classes (the key type of label column 'Label')", e.Message);
            Assert.Contains("H = 32 (NumberOfHiddenUnits)", e.Message);
            Assert.DoesNotContain("TrainerOptions.HiddenUnits", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_validation_set_of_the_wrong_schema_is_named_as_the_validation_set()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new BinaryRow { Label = i % 2 == 0, Features = [i, 1] }));
        IDataView textLabel = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new StringLabelRow { Label = "yes", Features = [i, 1] }));
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(train, textLabel));
        Assert.Contains("Schema mismatch for label column 'Label': expected Boolean, got String in the validation data", e.Message);

        IDataView doubles = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new DoubleFeatureRow { Label = true, Features = [i, 1] }));
        e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(train, doubles));
        Assert.Contains("Schema mismatch for feature column 'Features': expected known-size vector of Single, got Vector<Double, 2> in the validation data", e.Message);
    }

    public sealed class ClassValue
    {
        public string Value { get; set; } = "";
    }

    public sealed class IdRow
    {
        public long Id { get; set; }

        [VectorType(2)]
        public float[] X { get; set; } = [];
    }

    public sealed class BinaryRow
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    public sealed class StringLabelRow
    {
        public string Label { get; set; } = "";

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    public sealed class DoubleFeatureRow
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public double[] Features { get; set; } = [];
    }
}

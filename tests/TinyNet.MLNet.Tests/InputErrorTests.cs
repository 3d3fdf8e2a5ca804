using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>Bad input through the ML.NET trainers: each error names the column, row or option and what would be right.</summary>
public class InputErrorTests
{
    [Fact]
    public void A_label_of_the_wrong_type_is_named_with_the_expected_type()
    {
        var ml = new MLContext();
        IDataView data = ml.Data.LoadFromEnumerable([new FloatLabelRow { Label = 1, Features = [1, 2] }]);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(data));
        Assert.Contains("Schema mismatch for label column 'Label': expected Boolean, got Single", e.Message);
    }

    [Fact]
    public void A_text_label_for_binary_names_the_MapValue_that_fixes_it_and_nothing_else()
    {
        var ml = new MLContext();
        IDataView data = ml.Data.LoadFromEnumerable([new ClassLabelsTests.StringLabelRow { Label = "Yes", Features = [1, 2] }]);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(data));
        Assert.Contains("expected Boolean, got String in the training data. Map the label's text to Boolean first: " +
            "mlContext.Transforms.Conversion.MapValue(\"Label\"", e.Message);
        Assert.DoesNotContain("CustomMapping", e.Message);       // it blocks ONNX export
        Assert.DoesNotContain("Actual value was", e.Message);
        Assert.Equal("LabelColumnName", e.ParamName);
    }

    [Fact]
    public void A_regression_label_of_the_wrong_type_is_named()
    {
        var ml = new MLContext();
        IDataView data = ml.Data.LoadFromEnumerable([new BoolLabelRow { Label = true, Features = [1, 2] }]);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.Regression.Trainers.TinyNet().Fit(data));
        Assert.Contains("Schema mismatch for label column 'Label': expected Single, got Boolean", e.Message);
    }

    [Fact]
    public void A_missing_feature_column_lists_the_columns_there_are()
    {
        var ml = new MLContext();
        IDataView data = ml.Data.LoadFromEnumerable([new BoolLabelRow { Label = true, Features = [1, 2] }]);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet(featureColumnName: "Pixels").Fit(data));
        Assert.Contains("The feature column 'Pixels' is not in the training data. Its columns are: Label, Features", e.Message);
    }

    [Fact]
    public void A_variable_length_feature_vector_is_rejected()
    {
        var ml = new MLContext();
        var schema = SchemaDefinition.Create(typeof(BoolLabelRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single);   // unknown size
        IDataView data = ml.Data.LoadFromEnumerable([new BoolLabelRow { Label = true, Features = [1, 2] }], schema);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(data));
        Assert.Contains("expected known-size vector of Single", e.Message);
    }

    [Fact]
    public void A_missing_value_names_its_row_unless_skipping_is_asked_for()
    {
        var ml = new MLContext();
        BoolLabelRow[] rows = [.. Enumerable.Range(0, 20).Select(i => new BoolLabelRow { Label = i % 2 == 0, Features = [i, i % 3] })];
        rows[7].Features[1] = float.NaN;
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.TinyNet().Fit(data));
        Assert.Contains("row 7 has NaN in slot 1 of feature column 'Features'", e.Message);
        Assert.Contains("SkipRowsWithMissingValues", e.Message);

        var lines = new List<string>();
        ml.Log += (_, m) =>
        {
            lock (lines)
            {
                lines.Add(m.Message);
            }
        };
        var skipping = new TinyNetBinaryTrainer.Options { SkipRowsWithMissingValues = true, NumberOfIterations = 2 };
        ml.BinaryClassification.Trainers.TinyNet(skipping).Fit(data);
        Assert.Contains(lines, l => l.Contains("read 20 training rows, skipped 1 with missing values"));
    }

    [Theory]
    [InlineData("NumberOfHiddenUnits", "at least 1")]
    [InlineData("LearningRate", "a finite number > 0")]
    [InlineData("NumberOfIterations", "at least 1")]
    [InlineData("BatchSize", "at least 1")]
    [InlineData("L2Regularization", "a finite number ≥ 0")]
    [InlineData("EarlyStoppingPatience", "≥ 0")]
    [InlineData("NumberOfThreads", "≥ 1, or 0")]
    [InlineData("ValidationFraction", "in [0, 1)")]
    public void Invalid_options_are_named_when_the_trainer_is_created(string option, string valid)
    {
        var options = new TinyNetRegressionTrainer.Options();
        switch (option)
        {
            case "NumberOfHiddenUnits": options.NumberOfHiddenUnits = 0; break;
            case "LearningRate": options.LearningRate = float.NaN; break;
            case "NumberOfIterations": options.NumberOfIterations = 0; break;
            case "BatchSize": options.BatchSize = -1; break;
            case "L2Regularization": options.L2Regularization = -1; break;
            case "NumberOfThreads": options.NumberOfThreads = -2; break;
            case "ValidationFraction": options.ValidationFraction = 1; break;
            default: options.EarlyStoppingPatience = -3; break;
        }

        // One validation, the Core's, with the Core's names (HiddenUnits, Epochs, Threads) mapped to these options' names.
        var e = Assert.ThrowsAny<ArgumentException>(() => new MLContext().Regression.Trainers.TinyNet(options));
        Assert.Equal(option, e.ParamName);
        Assert.StartsWith($"{option} is ", e.Message);
        Assert.Contains(valid, e.Message);
    }

    [Fact]
    public void Scoring_data_with_the_wrong_feature_size_is_rejected()
    {
        var ml = new MLContext();
        IDataView train = ml.Data.LoadFromEnumerable([.. Enumerable.Range(0, 10).Select(i => new BoolLabelRow { Label = i % 2 == 0, Features = [i, 1] })]);
        TinyNetPredictionTransformer model = ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 1).Fit(train);
        var schema = SchemaDefinition.Create(typeof(BoolLabelRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
        IDataView wrong = ml.Data.LoadFromEnumerable([new BoolLabelRow { Label = true, Features = [1, 2, 3] }], schema);
        var e = Assert.ThrowsAny<ArgumentException>(() => model.Transform(wrong));
        Assert.Contains("expected Vector<Single, 2>", e.Message);
    }

    public sealed class FloatLabelRow
    {
        public float Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    public sealed class BoolLabelRow
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }
}

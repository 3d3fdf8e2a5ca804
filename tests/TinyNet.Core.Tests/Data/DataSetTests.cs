namespace TinyNet.Tests;

public class DataSetTests
{
    /// <summary>
    /// However large the hold-out fraction, every class keeps at least one row in training (a class of 2 rows at 0.6 used to
    /// round to 2 held out and 0 trained on).
    /// </summary>
    [Theory]
    [InlineData(0.6)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void A_large_hold_out_fraction_keeps_a_row_of_every_class_in_training(double fraction)
    {
        float[] y = [.. Enumerable.Repeat(0f, 40), 1f, 1f, 2f, .. Enumerable.Repeat(3f, 20)];
        DataSet data = DataSet.FromRowMajor([.. Enumerable.Range(0, y.Length).Select(i => (float)i)], 1, y);
        var split = data.SplitHoldOut(fraction, classCount: 4, seed: 1)!.Value;
        float[] fit = split.Fit.Labels.ToArray();
        for (int k = 0; k < 4; k++)
        {
            Assert.True(fit.Any(v => v == k), $"class {k} has no training row at fraction {fraction}");
        }

        Assert.Equal(1, split.HoldOut.Labels.ToArray().Count(v => v == 1));   // the 2-row class still gives one to validation
        Assert.DoesNotContain(2f, split.HoldOut.Labels.ToArray());             // the 1-row class gives none
        Assert.Equal(data.RowCount, split.Fit.RowCount + split.HoldOut.RowCount);
    }

    [Fact]
    public void Rows_are_stored_row_major()
    {
        DataSet data = DataSet.FromRows([[1f, 2f], [3f, 4f], [5f, 6f]], [0f, 1f, 0f]);
        Assert.Equal(3, data.RowCount);
        Assert.Equal(2, data.ColumnCount);
        Assert.Equal([3f, 4f], data.Row(1).ToArray());
        Assert.Null(data.Weights);
        DataSet fromMatrix = DataSet.FromMatrix(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, [0f, 1f, 0f], [1f, 2f, 0f]);
        Assert.Equal(data.Features.ToArray(), fromMatrix.Features.ToArray());
        Assert.Equal([1f, 2f, 0f], fromMatrix.Weights!.Value.ToArray());
    }

    [Theory]
    [InlineData(float.NaN, "features: row 1, column 2 is NaN")]
    [InlineData(float.PositiveInfinity, "features: row 1, column 2 is Infinity")]
    public void Non_finite_features_name_row_and_column(float bad, string expected)
    {
        float[] x = [0, 0, 0, 0, 0, bad];
        var e = Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor(x, 3, [0f, 1f]));
        Assert.Equal("features", e.ParamName);
        Assert.Contains(expected, e.Message);
        Assert.Contains("finite", e.Message);
    }

    [Fact]
    public void Non_finite_labels_name_the_row()
    {
        var e = Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor([1f, 2f, 3f], 1, [0f, float.NaN, 1f]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("row 1 is NaN", e.Message);
    }

    [Fact]
    public void Ragged_rows_name_the_row()
    {
        var e = Assert.Throws<ArgumentException>(() => DataSet.FromRows([[1f, 2f], [3f, 4f], [5f]], [0f, 1f, 0f]));
        Assert.Equal("rows", e.ParamName);
        Assert.Contains("row 2 has 1 features but row 0 has 2", e.Message);
    }

    [Fact]
    public void Empty_data_is_rejected()
    {
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor([], 3, [])).Message);
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => DataSet.FromRows([], [])).Message);
        Assert.Equal("columnCount", Assert.ThrowsAny<ArgumentException>(() => DataSet.FromRowMajor([1f], 0, [1f])).ParamName);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor([1f, 2f, 3f], 2, [0f, 1f]));
        Assert.Equal("features", e.ParamName);
        Assert.Contains("need 4", e.Message);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => DataSet.FromRows([[1f]], [0f, 1f])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor([1f, 2f], 1, [0f, 1f], [1f])).ParamName);
    }

    [Fact]
    public void WithLabels_shares_the_features_and_checks_the_new_labels()
    {
        DataSet data = DataSet.FromRowMajor([1f, 2f, 3f, 4f], 2, [0f, 1f], [1f, 3f]);
        DataSet relabelled = data.WithLabels([5f, -5f]);
        Assert.True(relabelled.Features.Span == data.Features.Span);   // same memory, not a copy
        Assert.Equal([5f, -5f], relabelled.Labels.ToArray());
        Assert.Equal([1f, 3f], relabelled.Weights!.Value.ToArray());
        Assert.Contains("row 1 is NaN", Assert.Throws<ArgumentException>(() => data.WithLabels([0f, float.NaN])).Message);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => data.WithLabels([0f])).ParamName);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void Invalid_weights_name_the_row(float bad)
    {
        var e = Assert.Throws<ArgumentException>(() => DataSet.FromRowMajor([1f, 2f], 1, [0f, 1f], [1f, bad]));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("row 1", e.Message);
        Assert.Contains("≥ 0", e.Message);
    }
}

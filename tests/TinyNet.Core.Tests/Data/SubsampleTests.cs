namespace TinyNet.Tests;

public class SubsampleTests
{
    [Fact]
    public void A_subsample_spreads_its_rows_evenly_and_keeps_weights()
    {
        float[] x = [.. Enumerable.Range(0, 10).Select(i => (float)i)];
        DataSet data = DataSet.FromRowMajor(x, 1, x, [.. x.Select(v => v + 1)]);
        DataSet sample = data.Subsample(4);
        Assert.Equal([0f, 2f, 5f, 7f], sample.Features.ToArray());             // rows ⌊k·10/4⌋
        Assert.Equal([1f, 3f, 6f, 8f], sample.Weights!.Value.ToArray());
        Assert.Same(data, data.Subsample(10));
    }

    [Fact]
    public void A_subsample_of_unweighted_data_has_no_weights()
    {
        // It used to carry an empty (not a null) weight column, so its WeightSum was 0: the divergence rule divided by
        // zero and was off for every unweighted training set of more than DivergenceSampleRows rows.
        float[] x = [.. Enumerable.Range(0, 10).Select(i => (float)i)];
        DataSet sample = DataSet.FromRowMajor(x, 1, x).Subsample(4);
        Assert.Null(sample.Weights);
        Assert.Equal(4, sample.WeightSum);
    }

    [Fact]
    public void The_divergence_rule_holds_beyond_the_sample_size()
    {
        DataSet data = TestData.Teacher(Trainer.DivergenceSampleRows + 500, 4, Head.BinaryClassification, seed: 3);
        var options = new TrainerOptions { Head = Head.BinaryClassification, LearningRate = 1000, Epochs = 5 };
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(data, options));
        Assert.InRange(e.BaselineLoss, 0.3, 2.0);
    }

    [Fact]
    public void A_subsample_whose_weights_are_all_zero_falls_back_to_the_data()
    {
        DataSet data = DataSet.FromRowMajor(new float[4], 1, new float[4], [0, 1, 0, 1]);
        Assert.Same(data, data.Subsample(2));                                  // rows 0 and 2 weigh 0
    }
}

namespace TinyNet.Tests;

/// <summary>The float32 scorer against the double reference, at every vector width.</summary>
public class ScorerTests
{
    public static TheoryData<string> Widths => [.. Kernels.All.Select(k => k.Width)];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Scores_equal_the_double_reference_within_float_rounding(string width)
    {
        Kernels kernels = Kernels.All.Single(k => k.Width == width);
        foreach ((Head head, int d, int h) in new[] { (Head.Regression, 1, 1), (Head.BinaryClassification, 7, 5), (Head.Regression, 100, 32), (Head.BinaryClassification, 30, 130) })
        {
            DataSet data = TestData.Teacher(301, d, head, seed: d + h);
            Network network = Network.CreateRandom(d, h, head, seed: 11);
            network.B2[0] = 0.3;
            var scorer = new Scorer(network, kernels);
            var batch = new float[data.RowCount];
            scorer.Logits(data.Features.Span, batch);
            var outputs = new float[data.RowCount];
            scorer.Predict(data.Features.Span, outputs);
            double scale = 1 + network.W2.Sum(Math.Abs) + Math.Abs(network.B2[0]);   // a bound on |z2|
            for (int i = 0; i < data.RowCount; i++)
            {
                double logit = network.PredictLogit(data.Row(i));
                Assert.True(Math.Abs(logit - scorer.Logit(data.Row(i))) <= 2e-6 * scale, $"{width} D={d} H={h} row {i}: one-row logit {scorer.Logit(data.Row(i)):R} vs {logit:R}");
                Assert.True(Math.Abs(logit - batch[i]) <= 2e-6 * scale, $"{width} D={d} H={h} row {i}: batched logit {batch[i]:R} vs {logit:R}");
                Assert.Equal(network.Predict(data.Row(i)), outputs[i], 2e-6 * scale);
                Assert.Equal(network.Predict(data.Row(i)), scorer.Predict(data.Row(i)), 2e-6 * scale);
            }
        }
    }

    [Fact]
    public void A_scorer_is_a_snapshot_and_its_clone_shares_it()
    {
        Network network = Network.CreateRandom(3, 4, Head.Regression, seed: 1);
        Scorer scorer = network.CreateScorer();
        float before = scorer.Logit([1, 2, 3]);
        network.B2[0] += 5;                                            // later changes are not seen
        Assert.Equal(before, scorer.Logit([1, 2, 3]));
        Assert.Equal(before, scorer.Clone().Logit([1, 2, 3]));
        Assert.Equal(Kernels.Best.Width, scorer.VectorWidth);
    }

    [Fact]
    public void Scoring_one_row_allocates_nothing()
    {
        Scorer scorer = Network.CreateRandom(100, 32, Head.BinaryClassification, seed: 1).CreateScorer();
        float[] x = [.. Enumerable.Range(0, 100).Select(i => i / 100f)];
        scorer.Logit(x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            scorer.Logit(x);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Wrong_lengths_are_refused_with_what_is_expected()
    {
        Scorer scorer = Network.CreateRandom(3, 4, Head.Regression, seed: 1).CreateScorer();
        Assert.Contains("x has 2 values but the network has D = 3", Assert.Throws<ArgumentException>(() => scorer.Logit([1, 2])).Message);
        Assert.Contains("rows holds 5 values but logits has room for 2 values, K = 1 per row of D = 3",
            Assert.Throws<ArgumentException>(() => scorer.Logits(new float[5], new float[2])).Message);
    }
}

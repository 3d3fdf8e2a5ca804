namespace TinyNet.Tests;

/// <summary>
/// The contract every output head keeps, checked for each of the three: δ2 is the derivative of its loss, the fast engine's
/// float chunk agrees with the double head, the constant baseline is the loss of the best constant, and the tag round-trips.
/// </summary>
public class OutputHeadTests
{
    public static TheoryData<Head, int, double> Cases => new()
    {
        { Head.Regression, 1, 1.7 },
        { Head.BinaryClassification, 1, 0 },
        { Head.BinaryClassification, 1, 1 },
        { Head.MulticlassClassification, 3, 2 },
        { Head.MulticlassClassification, 5, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Delta2_is_the_derivative_of_the_loss_in_each_logit(Head tag, int k, double y)
    {
        OutputHead head = OutputHead.For(tag);
        double[] z2 = [.. Enumerable.Range(0, k).Select(j => 0.9 - 0.7 * j)];
        var a2 = new double[k];
        var delta2 = new double[k];
        head.Output(z2, a2);
        head.Delta2(y, a2, delta2);
        const double h = 1e-6;
        for (int j = 0; j < k; j++)
        {
            double[] plus = [.. z2], minus = [.. z2];
            plus[j] += h;
            minus[j] -= h;
            double numeric = (head.Loss(y, plus) - head.Loss(y, minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - delta2[j]) < 1e-8, $"{tag}: ∂ℓ/∂z2[{j}] = {numeric}, δ2 = {delta2[j]}");
        }
    }

    /// <summary>
    /// One chunk of 5 rows padded to 8, weighted, through the float head: Σ s ℓ, δ2 = s (a2 − y) / Σ s, ∂J/∂b2 = Σ δ2, and the
    /// padding zero, against the double head row by row.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void The_fast_engines_chunk_agrees_with_the_double_head(Head tag, int k, double firstLabel)
    {
        OutputHead head = OutputHead.For(tag);
        const int count = 5, rows = 8;
        int stride = k == 1 ? 1 : 8;
        float[] labels = tag switch
        {
            Head.Regression => [(float)firstLabel, -0.5f, 2f, 0f, 3.25f],
            Head.BinaryClassification => [(float)firstLabel, 1, 0, 0, 1],
            _ => [(float)firstLabel, 1, 0, 2, 1],
        };
        float[] weights = [1f, 0.5f, 2f, 0f, 1.5f];
        var data = DataSet.FromRowMajor(new float[count], 1, labels, weights);
        int[] rowIndex = [4, 2, 0, 1, 3];                        // a shuffled batch
        var z = new float[rows * stride];
        for (int b = 0; b < rows; b++)
        {
            for (int j = 0; j < stride; j++)
            {
                z[b * stride + j] = j < k ? 1.3f - 0.45f * b + 0.8f * j * (b % 2 == 0 ? 1 : -1) : 0f;
            }
        }

        float[] logits = [.. z];
        float invN = 1f / weights.Sum();
        var db2 = new float[k];
        double lossSum = head.Delta2(new OutputChunk(z, stride, k, count, rows, rowIndex, data, invN, db2, new float[rows], new int[rows], Kernels.Best));

        double expectedLoss = 0;
        var expectedDb2 = new double[k];
        for (int b = 0; b < count; b++)
        {
            int row = rowIndex[b];
            double[] z2 = [.. logits.AsSpan(b * stride, k).ToArray().Select(v => (double)v)];
            var a2 = new double[k];
            var delta2 = new double[k];
            head.Output(z2, a2);
            head.Delta2(labels[row], a2, delta2);
            expectedLoss += weights[row] * head.Loss(labels[row], z2);
            for (int j = 0; j < k; j++)
            {
                double expected = weights[row] * delta2[j] * invN;
                Assert.True(Math.Abs(z[b * stride + j] - expected) < 1e-6, $"{tag}: δ2 of chunk row {b}, output {j}: {z[b * stride + j]} vs {expected}");
                expectedDb2[j] += expected;
            }

            Assert.All(z.AsSpan(b * stride + k, stride - k).ToArray(), v => Assert.Equal(0f, v));   // padding columns
        }

        Assert.All(z.AsSpan(count * stride).ToArray(), v => Assert.Equal(0f, v));                   // padding rows
        Assert.Equal(expectedLoss, lossSum, 1e-5);
        for (int j = 0; j < k; j++)
        {
            Assert.Equal(expectedDb2[j], db2[j], 1e-6);
        }
    }

    /// <summary>The baseline of the divergence rule is the mean loss of the best constant logits, and moving them costs more.</summary>
    [Theory]
    [InlineData(Head.Regression, new float[] { 1, 2, 4, -1 })]
    [InlineData(Head.BinaryClassification, new float[] { 1, 0, 0, 1, 1 })]
    [InlineData(Head.MulticlassClassification, new float[] { 0, 2, 2, 1, 2, 0 })]
    public void The_constant_baseline_is_the_loss_of_the_best_constant(Head tag, float[] labels)
    {
        OutputHead head = OutputHead.For(tag);
        var data = DataSet.FromRowMajor(new float[labels.Length], 1, labels);
        int k = head.OutputsNeeded(data, "data");
        double[] best = tag switch
        {
            Head.Regression => [labels.Average()],
            Head.BinaryClassification => [Math.Log(labels.Average() / (1 - labels.Average()))],
            _ => [.. Enumerable.Range(0, k).Select(c => Math.Log(labels.Count(y => y == c) / (double)labels.Length))],
        };
        double MeanLoss(double[] z2) => labels.Average(y => head.Loss(y, z2));

        double baseline = head.ConstantPredictionLoss(data, k);
        Assert.Equal(MeanLoss(best), baseline, 1e-12);
        Assert.True(MeanLoss([.. best.Select((v, j) => j == 0 ? v + 0.1 : v)]) > baseline);
    }

    [Fact]
    public void Each_tag_names_its_head_and_an_undefined_tag_is_refused()
    {
        foreach (Head tag in Enum.GetValues<Head>())
        {
            Assert.Equal(tag, OutputHead.For(tag).Tag);
        }

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OutputHead.For((Head)7));
        Assert.Equal("head", e.ParamName);
    }

    [Fact]
    public void Only_classes_are_stratified_and_checked_as_whole_numbers()
    {
        Assert.Equal(0, OutputHead.For(Head.Regression).Strata(1));
        Assert.Equal(2, OutputHead.For(Head.BinaryClassification).Strata(1));
        Assert.Equal(4, OutputHead.For(Head.MulticlassClassification).Strata(4));
        Assert.True(OutputHead.For(Head.Regression).IsLabel(-3.5, 1));
        Assert.False(OutputHead.For(Head.BinaryClassification).IsLabel(0.5, 1));
        Assert.False(OutputHead.For(Head.MulticlassClassification).IsLabel(1.5, 3));
        Assert.False(OutputHead.For(Head.MulticlassClassification).IsLabel(3, 3));
        Assert.True(OutputHead.For(Head.MulticlassClassification).IsLabel(2, 3));
    }

    /// <summary>
    /// Logits 110 apart, the largest not first: the float chunk subtracts the largest before e^ (the kernel's exp clamps
    /// its argument to [−87, 88]), so the loss and δ2 still equal the double head's.
    /// </summary>
    [Fact]
    public void The_softmax_chunk_shifts_by_the_largest_logit_wherever_it_is()
    {
        OutputHead head = OutputHead.For(Head.MulticlassClassification);
        const int rows = 4, stride = 8, k = 3;
        float[][] logits = [[-60f, 50f, 0f], [0f, -30f, 80f], [40f, -70f, 10f], [5f, 5f, -5f]];
        float[] labels = [1, 0, 2, 1];
        var z = new float[rows * stride];
        for (int b = 0; b < rows; b++)
        {
            logits[b].CopyTo(z, b * stride);
        }

        var data = DataSet.FromRowMajor(new float[rows], 1, labels);
        var db2 = new float[k];
        double lossSum = head.Delta2(new OutputChunk(z, stride, k, rows, rows, [0, 1, 2, 3], data, 1f, db2, new float[rows], new int[rows], Kernels.Best));
        double expected = 0;
        for (int b = 0; b < rows; b++)
        {
            double[] z2 = [.. logits[b].Select(v => (double)v)];
            var a2 = new double[k];
            var delta2 = new double[k];
            head.Output(z2, a2);
            head.Delta2(labels[b], a2, delta2);
            expected += head.Loss(labels[b], z2);
            for (int j = 0; j < k; j++)
            {
                Assert.True(Math.Abs(z[b * stride + j] - delta2[j]) < 1e-6, $"row {b}, output {j}: δ2 {z[b * stride + j]} vs {delta2[j]}");
            }
        }

        Assert.Equal(expected, lossSum, 1e-4);
    }

    [Fact]
    public void Two_classes_are_enough_for_the_softmax_head_and_its_baseline_checks_and_weighs_the_labels()
    {
        OutputHead head = OutputHead.For(Head.MulticlassClassification);
        var twoClasses = DataSet.FromRowMajor(new float[4], 1, [0, 1, 1, 0]);
        Assert.Equal(2, head.OutputCountFor(twoClasses, "train"));

        // Weights count: class 0 weighs 3 of 4, class 1 weighs 1 of 4.
        var weighted = DataSet.FromRowMajor(new float[3], 1, [0, 1, 1], [3f, 0.5f, 0.5f]);
        Assert.Equal(-(0.75 * Math.Log(0.75) + 0.25 * Math.Log(0.25)), Trainer.ConstantPredictionLoss(weighted, Head.MulticlassClassification), 1e-12);

        var wrong = DataSet.FromRowMajor(new float[3], 1, [0, 1.5f, 1]);
        var e = Assert.Throws<ArgumentException>(() => Trainer.ConstantPredictionLoss(wrong, Head.MulticlassClassification));
        Assert.Contains("label of row 1 is 1.5", e.Message);
    }
}

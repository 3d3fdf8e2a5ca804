namespace TinyNet.GradientChecks;

/// <summary>
/// The softmax head's numerics and argument contract, where the gradient suite must notice a change: the max taken over
/// every logit (not the first), classes that are not 0 … K − 1, a reused gradient buffer, weights that sum to 0, and the
/// checker naming the worst element of W2 and b2 as the notes write it.
/// </summary>
public class MulticlassContractTests
{
    [Fact]
    public void The_softmax_shift_is_the_largest_logit_wherever_it_is()
    {
        var a = new double[3];
        Activations.Softmax([0.0, 1000.0, -5.0], a);         // shifting by the first logit would give e^1000 = ∞ and NaN
        Assert.Equal([0.0, 1.0, 0.0], a);
        Assert.Equal(1000 + Math.Log(1 + Math.Exp(-1000.0) + Math.Exp(-1005.0)), Losses.LogSumExp([0.0, 1000.0, -5.0]), 1e-12);
        Assert.Equal(1000.0, Losses.CrossEntropyFromLogits(0, [0.0, 1000.0, -5.0]), 1e-12);
    }

    /// <summary>
    /// logsumexp = m + log1p(Σ_{j ≠ top} e^(zⱼ − m)) against the direct sum where nothing overflows, with the largest logit
    /// in each position, and an empty span refused.
    /// </summary>
    [Theory]
    [InlineData(1.0, 2.0, 3.0)]
    [InlineData(3.0, 1.0, 2.0)]
    [InlineData(2.0, 3.0, 1.0)]
    [InlineData(-0.5, -0.5, 0.25)]
    public void Logsumexp_equals_the_direct_sum_wherever_the_largest_logit_is(double z0, double z1, double z2)
    {
        double direct = Math.Log(Math.Exp(z0) + Math.Exp(z1) + Math.Exp(z2));
        Assert.Equal(direct, Losses.LogSumExp([z0, z1, z2]), 1e-14);
        Assert.Equal(direct - z1, Losses.CrossEntropyFromLogits(1, [z0, z1, z2]), 1e-14);
        Assert.Contains("at least one logit", Assert.Throws<ArgumentException>(() => Losses.LogSumExp([])).Message);
    }

    [Fact]
    public void Bad_shapes_and_classes_are_refused_with_what_is_valid()
    {
        Assert.Contains("pass one per logit (2)", Assert.Throws<ArgumentException>(() => Activations.Softmax([1.0, 2.0], new double[3])).Message);
        Assert.Contains("z is empty", Assert.Throws<ArgumentException>(() => Activations.Softmax([], [])).Message);
        var high = Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropyFromLogits(3, [0.0, 1.0, 2.0]));
        Assert.Contains("it must be 0 … 2", high.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropyFromLogits(-1, [0.0, 1.0, 2.0]));
        Assert.Contains("Losses.CrossEntropyFromLogits", Assert.Throws<ArgumentException>(() => Losses.Loss(Head.MulticlassClassification, 0, 1.0)).Message);
        Assert.Contains("Activations.Softmax", Assert.Throws<ArgumentException>(() => Activations.Output(Head.MulticlassClassification, 1.0)).Message);
    }

    [Theory]
    [InlineData(3.0)]      // = K
    [InlineData(7.0)]
    [InlineData(1.5)]      // not a whole number
    [InlineData(-1.0)]
    public void Backprop_refuses_a_label_that_is_not_a_class_naming_the_sample(double bad)
    {
        Network network = Network.CreateRandom(2, 3, Head.MulticlassClassification, classCount: 3, seed: 1);
        double[] x = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], y = [0, 1, bad];
        var e = Assert.Throws<ArgumentException>(() => Backprop.Compute(network, x, y, [], Gradients.For(network)));
        Assert.Contains($"label of sample 2 is {bad}", e.Message);
        Assert.Contains("needs a class 0 … 2", e.Message);
        Assert.Throws<ArgumentException>(() => Backprop.Loss(network, x, y, []));
    }

    [Fact]
    public void A_reused_gradient_buffer_is_overwritten_not_added_to()
    {
        MulticlassCase c = MulticlassCase.Standard().ElementAt(1);
        var fresh = Gradients.For(c.Network);
        Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], fresh);
        var reused = Gradients.For(c.Network);
        Array.Fill(reused.W1, 7.0);
        Array.Fill(reused.B1, 7.0);
        Array.Fill(reused.W2, 7.0);
        Array.Fill(reused.B2, 7.0);
        Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], reused);
        Assert.Equal(fresh.W1, reused.W1);
        Assert.Equal(fresh.B1, reused.B1);
        Assert.Equal(fresh.W2, reused.W2);
        Assert.Equal(fresh.B2, reused.B2);
    }

    [Fact]
    public void Gradients_must_be_given_and_shaped_like_the_network()
    {
        Network network = Network.CreateRandom(4, 3, Head.MulticlassClassification, classCount: 5, seed: 1);
        double[] x = [1, 2, 3, 4], y = [4];
        Assert.Throws<ArgumentNullException>(() => Backprop.Compute(network, x, y, [], null!));
        var e = Assert.Throws<ArgumentException>(() => Backprop.Compute(network, x, y, [], new Gradients(4, 3, 4)));
        Assert.Contains("gradients are shaped D = 4, H = 3, K = 4 but the network is D = 4, H = 3, K = 5", e.Message);
    }

    [Fact]
    public void Weights_that_sum_to_zero_are_refused()
    {
        Network network = Network.CreateRandom(1, 2, Head.MulticlassClassification, classCount: 3, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => Backprop.Objective(network, [1.0, 2.0], [0, 2], [0.0, 0.0], 0, Gradients.For(network)));
        Assert.Contains("sum to 0", e.Message);
    }

    [Fact]
    public void The_checker_names_the_wrong_element_of_W2_and_b2_as_the_notes_write_it()
    {
        MulticlassCase c = MulticlassCase.Standard().ElementAt(2);             // D = 5, H = 4, K = 10
        var wrong = Gradients.For(c.Network);
        Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], wrong);
        wrong.W2[6 * 4 + 1] += 0.5;                                             // w2[6, 1]
        wrong.B2[3] -= 0.5;                                                     // b2[3]
        GradientCheckReport report = GradientChecker.Check(c.Network, n => MulticlassOracle.Loss(n, c.X, c.Y, c.S), wrong);
        Assert.False(report["w2"].Passed);
        Assert.Equal("w2[6, 1]", report["w2"].WorstPosition);
        Assert.Equal(6 * 4 + 1, report["w2"].WorstIndex);
        Assert.False(report["b2"].Passed);
        Assert.Equal("b2[3]", report["b2"].WorstPosition);
        Assert.True(report["w1"].Passed && report["b1"].Passed);
    }
}

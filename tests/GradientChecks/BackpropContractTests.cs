namespace TinyNet.GradientChecks;

/// <summary>What <see cref="Backprop"/> promises beyond the formulas: overwriting, the objective's value, shape checks, saturation.</summary>
public class BackpropContractTests
{
    [Fact]
    public void Compute_overwrites_the_gradients_it_is_given()
    {
        Case c = Case.Standard(Head.BinaryClassification).Last();
        var once = new Gradients(4, 3);
        Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], once);
        var twice = new Gradients(4, 3);
        Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], twice);
        Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], twice);
        Assert.Equal(once.W1, twice.W1);
        Assert.Equal(once.B1, twice.B1);
        Assert.Equal(once.W2, twice.W2);
        Assert.Equal(once.B2[0], twice.B2[0]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Objective_returns_the_weighted_mean_loss_plus_the_L2_penalty(double l2)
    {
        Case c = Case.Standard(Head.Regression).Last();
        Network n = c.Network;
        double penalty = n.W1.Sum(w => w * w) + n.W2.Sum(w => w * w);
        double weightSum = c.S?.Sum() ?? c.Y.Length;    // J divides by Σs (N without weights)
        double expected = Oracle.Loss(n, c.X, c.Y, c.S) / weightSum + 0.5 * l2 * penalty;
        Assert.Equal(expected, Backprop.Objective(n, c.X, c.Y, c.S ?? [], l2, new Gradients(4, 3)), 1e-13);
        Assert.Equal(expected, Backprop.Objective(n, c.X, c.Y, c.S ?? [], l2), 1e-13);
        Backprop.Objective(n, c.X, c.Y, c.S ?? [], l2, new Gradients(4, 3), out double lossSum);
        Assert.Equal(Oracle.Loss(n, c.X, c.Y, c.S), lossSum, 1e-13);
    }

    [Fact]
    public void Batches_and_gradients_of_the_wrong_shape_are_rejected()
    {
        var network = new Network(2, 3, Head.Regression);
        Assert.Contains("gradients are shaped D = 2, H = 1", Assert.Throws<ArgumentException>(() => Backprop.Compute(network, new double[2], [1], [], new Gradients(2, 1))).Message);
        Assert.Contains("D = 1, H = 3", Assert.Throws<ArgumentException>(() => Backprop.Compute(network, new double[2], [1], [], new Gradients(1, 3))).Message);
        Assert.Contains("needs at least one sample", Assert.Throws<ArgumentException>(() => Backprop.Loss(network, [], [], [])).Message);
        Assert.Contains("x holds 3 values; 2 samples of D = 2 inputs need 4", Assert.Throws<ArgumentException>(() => Backprop.Loss(network, new double[3], [1, 2], [])).Message);
        Assert.Contains("s holds 1 weights; pass one per sample (2)", Assert.Throws<ArgumentException>(() => Backprop.Loss(network, new double[4], [1, 2], [1])).Message);
    }

    [Theory]
    [InlineData(Head.Regression)]
    [InlineData(Head.BinaryClassification)]
    public void Fully_saturated_units_give_finite_exact_gradients(Head head)
    {
        // |z1| = 1000 and |z2| up to 1000: σ is exactly 0 or 1, so a1(1 − a1) = 0 and δ1 = 0; nothing may be NaN.
        var n = new Network(1, 2, head);
        n.W1[0] = 1000;
        n.W1[1] = -1000;
        n.W2[0] = 1000;
        n.W2[1] = 1;
        double[] x = [1, -1];
        double[] y = [0, 1];
        var g = new Gradients(1, 2);
        double loss = Backprop.Compute(n, x, y, [], g);
        Assert.True(double.IsFinite(loss));
        Assert.All(g.W1.Concat(g.B1).Concat(g.W2).Append(g.B2[0]), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(0.0, g.W1[0]);
        Assert.Equal(0.0, g.B1[1]);
        Assert.Equal(1.0, Activations.Sigmoid(1000));
        Assert.Equal(0.0, Activations.Sigmoid(-1000));
        Assert.Equal(1.0, Activations.Sigmoid(800));
        Assert.Equal(0.0, Activations.Sigmoid(-800));
        Assert.Equal(0.5, Activations.Sigmoid(0));
    }
}

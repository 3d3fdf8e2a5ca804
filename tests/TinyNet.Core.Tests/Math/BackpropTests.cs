namespace TinyNet.Tests;

/// <summary>The boxed formulas on the notes' scalar network, worked out by hand (as scikit-learn's test_mlp does).</summary>
public class BackpropTests
{
    [Fact]
    public void Boxed_formulas_match_a_hand_computed_regression_example()
    {
        // w1 = 0.5, b1 = 0, w2 = 1, b2 = 0; x = 2, y = 1; identity output, ℓ = ½ (y − a2)².
        // z1 = 1, a1 = σ(1) = 0.7310585786300049, a2 = z2 = 0.7310585786300049
        // ℓ = ½ (1 − 0.7310585786300049)² = 0.036164744064256626
        // δ2 = a2 − y = −0.2689414213699951                            (P2)
        // ∂L/∂w2 = δ2 a1 = −0.19661193324148185                        (P2, box 1)
        // ∂L/∂b2 = δ2 = −0.2689414213699951                            (P2, box 2)
        // δ1 = δ2 w2 a1 (1 − a1) = −0.2689414213699951 · 0.19661193324148185 = −0.052877092784266715
        // ∂L/∂w1 = δ1 x = −0.10575418556853343                          (P3, box 1, with × = x)
        // ∂L/∂b1 = δ1 = −0.052877092784266715                           (P3, box 2)
        AssertScalarGradients(Head.Regression, 0.036164744064256626,
            dw1: -0.10575418556853343, db1: -0.052877092784266715, dw2: -0.19661193324148185, db2: -0.2689414213699951);
    }

    [Fact]
    public void Boxed_formulas_match_a_hand_computed_classification_example()
    {
        // Same network with a sigmoid output and log-loss, x = 2, y = 1:
        // z2 = 0.7310585786300049, a2 = σ(z2) = 0.6750375273768237, ℓ = −log a2 = 0.392986993541201
        // (0.39298699354120099447… to 40 digits; the softplus-minus-y·z2 form used to give 1 ulp more)
        // δ2 = a2 − y = −0.32496247262317635                          (P6)
        // ∂L/∂w2 = δ2 a1 = −0.23756660334399118                        (P5)
        // ∂L/∂b2 = δ2                                                  (P6, box 1)
        // δ1 = δ2 · 1 · 0.19661193324148185 = −0.06389149997337482
        // ∂L/∂w1 = δ1 · 2 = −0.12778299994674963                        (P6, box 2)
        // ∂L/∂b1 = δ1                                                  (P6, box 3)
        AssertScalarGradients(Head.BinaryClassification, 0.392986993541201,
            dw1: -0.12778299994674963, db1: -0.06389149997337482, dw2: -0.23756660334399118, db2: -0.32496247262317635);
    }

    [Fact]
    public void One_step_of_the_notes_update_rule_with_the_learning_rate_on_every_parameter()
    {
        // lr = 0.1, batch of one sample (the notes' per-sample rule, P4 with errata E7):
        // w1 = 0.5 − 0.1 · (−0.10575418556853343) = 0.5105754185568534
        // b1 = 0   − 0.1 · (−0.052877092784266715) = 0.005287709278426672
        // w2 = 1   − 0.1 · (−0.19661193324148185) = 1.0196611933241482
        // b2 = 0   − 0.1 · (−0.2689414213699951)  = 0.026894142136999512
        DataSet data = DataSet.FromRowMajor([2f], 1, [1f]);
        var options = new TrainerOptions { Engine = Engine.Reference, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Epochs = 1, BatchSize = 1 };
        Network trained = Trainer.Train(NetworkTests.Scalar(Head.Regression), data, options).Network;
        Assert.Equal(0.5105754185568534, trained.W1[0], 1e-15);
        Assert.Equal(0.005287709278426672, trained.B1[0], 1e-15);
        Assert.Equal(1.0196611933241482, trained.W2[0], 1e-15);
        Assert.Equal(0.026894142136999512, trained.B2[0], 1e-15);
    }

    [Fact]
    public void Objective_is_the_batch_mean_plus_the_L2_penalty_on_weights_only()
    {
        var network = Network.CreateRandom(2, 3, Head.Regression, seed: 1);
        network.B1[0] = 0.7;
        network.B2[0] = -0.4;
        double[] x = [1, 2, -1, 0.5];
        double[] y = [0.3, -0.2];
        var sum = new Gradients(2, 3);
        var objective = new Gradients(2, 3);
        double loss = Backprop.Compute(network, x, y, [], sum);
        double j = Backprop.Objective(network, x, y, [], 0.1, objective);
        double penalty = network.W1.Sum(w => w * w) + network.W2.Sum(w => w * w);
        Assert.Equal(loss / 2 + 0.05 * penalty, j, 1e-14);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(sum.W1[i] / 2 + 0.1 * network.W1[i], objective.W1[i], 1e-14);
        }

        Assert.Equal(sum.B1[0] / 2, objective.B1[0], 1e-14);   // biases are not regularised
        Assert.Equal(sum.B2[0] / 2, objective.B2[0], 1e-14);
    }

    [Fact]
    public void Batch_arguments_of_the_wrong_size_are_rejected()
    {
        var network = new Network(2, 1, Head.Regression);
        var g = new Gradients(2, 1);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Backprop.Compute(network, new double[3], new double[2], [], g)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Backprop.Compute(network, [], [], [], g)).ParamName);
        Assert.Equal("s", Assert.Throws<ArgumentException>(() => Backprop.Compute(network, new double[4], new double[2], [1], g)).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => Backprop.Compute(network, new double[4], new double[2], [], new Gradients(3, 1))).ParamName);
    }

    private static void AssertScalarGradients(Head head, double loss, double dw1, double db1, double dw2, double db2)
    {
        var g = new Gradients(1, 1);
        double l = Backprop.Compute(NetworkTests.Scalar(head), [2.0], [1.0], [], g);
        Assert.Equal(loss, l, 1e-16);
        Assert.Equal(dw1, g.W1[0], 1e-16);
        Assert.Equal(db1, g.B1[0], 1e-16);
        Assert.Equal(dw2, g.W2[0], 1e-16);
        Assert.Equal(db2, g.B2[0], 1e-16);
    }
}

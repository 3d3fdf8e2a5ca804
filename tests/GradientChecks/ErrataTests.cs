namespace TinyNet.GradientChecks;

/// <summary>
/// Every line E1–E9 of the notes' errata settled by a test that would fail if the line were wrong.
/// Verdicts and test names are collected in docs/notes-errata.md.
/// </summary>
public class ErrataTests
{
    private static readonly Case Wide = Case.Standard(Head.Regression).Last();

    /// <summary>E1: Loss_MSE sums over the N samples (i = 1..N), not N + 1 terms (i = 0..N).</summary>
    [Fact]
    public void E1_mse_averages_exactly_the_N_samples()
    {
        // The reported training MSE of a one-step, full-batch, reference run equals (1/N) Σ over the N rows at the
        // initial parameters; the notes' i = 0..N would need an (N+1)-th sample and a different value.
        DataSet data = DataSet.FromRowMajor([2f, -1f, 0.5f], 1, [1f, 0f, 0.5f]);
        Network start = Case.Standard(Head.Regression).First().Network;
        var options = new TrainerOptions { Engine = Engine.Reference, Optimizer = Optimizer.Sgd, Epochs = 1, BatchSize = 3, LearningRate = 0.1, Shuffle = false };
        double reported = Trainer.Train(start, data, options).History.TrainingMse![0];
        double[] x = [2, -1, 0.5], y = [1, 0, 0.5];
        double sum = Enumerable.Range(0, 3).Sum(i => Math.Pow(y[i] - start.Predict([x[i]]), 2));
        Assert.Equal(sum / 3, reported, 1e-15);
        Assert.NotEqual(sum / 4, reported, 1e-6);   // N + 1 in the denominator would not match
    }

    /// <summary>
    /// E2: the boxed squared-error formulas are the exact gradient of ½ Σ (y − a2)², that is (N/2) × the gradient of
    /// the notes' Loss_MSE = (1/N) Σ (y − a2)²; the dropped constants are absorbed by the learning rate.
    /// </summary>
    [Fact]
    public void E2_boxed_regression_formulas_are_N_over_2_times_the_MSE_gradient()
    {
        Case c = Wide;
        int n = c.Y.Length;
        var boxed = new Gradients(c.Network.InputCount, c.Network.HiddenCount);
        Backprop.Compute(c.Network, c.X, c.Y, [], boxed);

        Gradients halfSquared = Oracle.Numeric(c.Network, net => Oracle.Loss(net, c.X, c.Y));
        Oracle.AssertAgree(boxed.W1, halfSquared.W1, "vs ½Σ: w1");
        Oracle.AssertAgree(boxed.W2, halfSquared.W2, "vs ½Σ: w2");

        Gradients mse = Oracle.Numeric(c.Network, net => 2 * Oracle.Loss(net, c.X, c.Y) / n);   // (1/N) Σ (y − a2)²
        Oracle.AssertAgree(boxed.W1, [.. mse.W1.Select(g => g * n / 2)], "vs (N/2)∇MSE: w1");
        Oracle.AssertAgree(boxed.B1, [.. mse.B1.Select(g => g * n / 2)], "vs (N/2)∇MSE: b1");
        Oracle.AssertAgree(boxed.W2, [.. mse.W2.Select(g => g * n / 2)], "vs (N/2)∇MSE: w2");
        Oracle.AssertAgree([boxed.B2[0]], [mse.B2[0] * n / 2], "vs (N/2)∇MSE: b2");

        // And they are not the gradient of the notes' Σ (y − a2)² itself: that is twice as large.
        Gradients squared = Oracle.Numeric(c.Network, net => 2 * Oracle.Loss(net, c.X, c.Y));
        Assert.Equal(2 * boxed.B2[0], squared.B2[0], 1e-8);
    }

    /// <summary>
    /// E3: ∂a2/∂z2 may be dropped only because the output is the identity. With a sigmoid output and squared error,
    /// the formula that drops it is wrong; with the identity it is right.
    /// </summary>
    [Fact]
    public void E3_dropping_da2_dz2_is_right_only_for_the_identity_output()
    {
        Case c = Wide;
        // Identity: ∂a2/∂z2 = 1 by central difference.
        Assert.Equal(1.0, (Activations.Identity(0.3 + 1e-6) - Activations.Identity(0.3 - 1e-6)) / 2e-6, 1e-9);

        // Sigmoid output with ½ (y − a2)²: the true ∂L/∂b2 is Σ (a2 − y) a2 (1 − a2); the notes' Σ (a2 − y) is not it.
        double SquaredErrorOfSigmoid(Network n)
        {
            var sigmoidHead = new Network(n.InputCount, n.HiddenCount, Head.BinaryClassification) { B2 = { [0] = n.B2[0] } };
            n.W1.CopyTo(sigmoidHead.W1, 0);
            n.B1.CopyTo(sigmoidHead.B1, 0);
            n.W2.CopyTo(sigmoidHead.W2, 0);
            double sum = 0;
            for (int i = 0; i < c.Y.Length; i++)
            {
                double a2 = sigmoidHead.Predict(c.X.AsSpan(i * n.InputCount, n.InputCount));
                sum += 0.5 * (c.Y[i] - a2) * (c.Y[i] - a2);
            }

            return sum;
        }

        double numeric = Oracle.Numeric(c.Network, SquaredErrorOfSigmoid).B2[0];
        double droppedDerivative = 0, withDerivative = 0;
        var classifier = new Network(4, 3, Head.BinaryClassification) { B2 = { [0] = c.Network.B2[0] } };
        c.Network.W1.CopyTo(classifier.W1, 0);
        c.Network.B1.CopyTo(classifier.B1, 0);
        c.Network.W2.CopyTo(classifier.W2, 0);
        for (int i = 0; i < c.Y.Length; i++)
        {
            double a2 = classifier.Predict(c.X.AsSpan(i * 4, 4));
            droppedDerivative += a2 - c.Y[i];
            withDerivative += (a2 - c.Y[i]) * a2 * (1 - a2);
        }

        Assert.Equal(numeric, withDerivative, 1e-8);
        Assert.True(Math.Abs(numeric - droppedDerivative) > 0.1 * Math.Abs(numeric), "dropping ∂a2/∂z2 should be visibly wrong here");
    }

    /// <summary>E4: g'(z1) is σ(z1)(1 − σ(z1)) = a1(1 − a1), not sin(z1)(1 − sin(z1)).</summary>
    [Fact]
    public void E4_the_hidden_derivative_is_the_sigmoid_one_not_sine()
    {
        foreach (double z in new[] { -2.0, 0.3, 1.0, 4.0 })
        {
            double numeric = (Activations.Sigmoid(z + 1e-6) - Activations.Sigmoid(z - 1e-6)) / 2e-6;
            Assert.Equal(numeric, Activations.SigmoidDerivative(Activations.Sigmoid(z)), 1e-9);
            Assert.True(Math.Abs(numeric - Math.Sin(z) * (1 - Math.Sin(z))) > 1e-3, $"sine form should be wrong at z = {z}");
        }

        GradientCheckReport report = WrongGradients.Check(Wide, WrongGradients.Mistake.SineDerivative);
        Assert.False(report["w1"].Passed);
        Assert.False(report["b1"].Passed);
    }

    /// <summary>E5: the trailing "×" of P3's ∂L/∂w1 box is the input X: without it the formula fails, with it it passes.</summary>
    [Fact]
    public void E5_the_trailing_times_of_dL_dw1_is_the_input_X()
    {
        Assert.False(WrongGradients.Check(Wide, WrongGradients.Mistake.MissingX)["w1"].Passed);
        Assert.True(WrongGradients.Check(Wide, WrongGradients.Mistake.None)["w1"].Passed);
    }

    /// <summary>E6: (y − a2) ∂/∂w1 (y − a2) and (a2 − y) ∂a2/∂w1 are equal, not unequal.</summary>
    [Fact]
    public void E6_the_two_sides_are_equal()
    {
        Case c = Case.Standard(Head.Regression).First();   // one sample, so the expressions are per-sample
        double y = c.Y[0];
        double A2(Network n) => n.Predict(c.X);
        double da2dw1 = Oracle.Numeric(c.Network, A2).W1[0];
        double dResidualDw1 = Oracle.Numeric(c.Network, n => y - A2(n)).W1[0];
        double a2 = A2(c.Network);
        double left = (y - a2) * dResidualDw1;
        double right = (a2 - y) * da2dw1;
        Assert.Equal(left, right, 1e-9);
        Assert.NotEqual(0.0, right, 1e-6);
    }

    /// <summary>
    /// E7: the notes' literal P4 rule (biases updated without lr, on summed gradients) diverges on a large batch,
    /// where TinyNet's rule (lr on every parameter) converges.
    /// </summary>
    [Fact]
    public void E7_updating_biases_without_the_learning_rate_diverges()
    {
        var rng = new Random(3);
        int n = 500;
        double[] x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        double[] y = x.Select(v => 0.5 * v + 2).ToArray();
        Network literal = Case.Standard(Head.Regression).First().Network.Clone();
        Network withLr = literal.Clone();
        double lr = 1e-3;
        var g = new Gradients(1, 1);
        double start = Oracle.Loss(literal, x, y);
        for (int step = 0; step < 20; step++)
        {
            Backprop.Compute(literal, x, y, [], g);           // summed, as in the notes
            literal.W1[0] -= lr * g.W1[0];
            literal.W2[0] -= lr * g.W2[0];
            literal.B1[0] -= g.B1[0];                          // literal P4: no lr
            literal.B2[0] -= g.B2[0];

            Backprop.Compute(withLr, x, y, [], g);
            withLr.W1[0] -= lr * g.W1[0];
            withLr.W2[0] -= lr * g.W2[0];
            withLr.B1[0] -= lr * g.B1[0];                      // errata E7: lr on every parameter
            withLr.B2[0] -= lr * g.B2[0];
        }

        double literalLoss = Oracle.Loss(literal, x, y);
        Assert.True(!double.IsFinite(literalLoss) || literalLoss > 100 * start, $"literal rule: {start} → {literalLoss}");
        Assert.True(Oracle.Loss(withLr, x, y) < 0.5 * start, "with lr on every parameter the loss falls");
    }

    /// <summary>
    /// E8: the log-loss gradients are exact per sample for L = −[(1 − y) log(1 − a2) + y log a2], and summed over a batch
    /// for Σ L.
    /// </summary>
    [Fact]
    public void E8_log_loss_gradients_are_exact_per_sample_and_summed_over_the_batch()
    {
        Case c = Case.Standard(Head.BinaryClassification).Last();
        int d = c.Network.InputCount;
        var total = new Gradients(d, c.Network.HiddenCount);
        Backprop.Compute(c.Network, c.X, c.Y, [], total);
        var sum = new double[total.W1.Length];
        for (int i = 0; i < c.Y.Length; i++)
        {
            double[] xi = c.X[(i * d)..((i + 1) * d)];
            double[] yi = [c.Y[i]];
            var one = new Gradients(d, c.Network.HiddenCount);
            Backprop.Compute(c.Network, xi, yi, [], one);
            Gradients numeric = Oracle.Numeric(c.Network, n => Oracle.Loss(n, xi, yi));
            Oracle.AssertAgree(one.W1, numeric.W1, $"sample {i} w1");
            Oracle.AssertAgree([one.B2[0]], [numeric.B2[0]], $"sample {i} b2");
            for (int k = 0; k < sum.Length; k++)
            {
                sum[k] += one.W1[k];
            }
        }

        Oracle.AssertAgree(total.W1, sum, "Σ of per-sample w1");
    }

    /// <summary>
    /// E9: both heads give δ2 = ∂ℓ/∂z2 = a2 − y: identity + ½ squared error and sigmoid + log-loss are matched pairs.
    /// </summary>
    [Theory]
    [InlineData(Head.Regression, 0.7, 1.3)]
    [InlineData(Head.Regression, -2.0, 0.0)]
    [InlineData(Head.BinaryClassification, 0.7, 1.0)]
    [InlineData(Head.BinaryClassification, -2.0, 0.0)]
    [InlineData(Head.BinaryClassification, 3.0, 0.0)]
    public void E9_both_heads_have_output_error_a2_minus_y(Head head, double z2, double y)
    {
        double numeric = (Losses.Loss(head, y, z2 + 1e-6) - Losses.Loss(head, y, z2 - 1e-6)) / 2e-6;
        double a2 = Activations.Output(head, z2);
        Assert.Equal(numeric, Backprop.Delta2(a2, y), 1e-8);
        Assert.Equal(a2 - y, Backprop.Delta2(a2, y));
    }
}

namespace TinyNet.GradientChecks;

/// <summary>
/// The checker's own arithmetic: its tolerances, its worst element, its report, its central differences, its
/// argument checks. These would pass a broken checker silently otherwise.
/// </summary>
public class CheckerMechanicsTests
{
    private static readonly Network Small = Network.CreateRandom(2, 1, Head.Regression, seed: 3);

    [Fact]
    public void An_error_exactly_at_atol_passes_and_just_above_fails()
    {
        // f ≡ 0, so every numeric derivative is exactly 0 and |a − n| = |a|, rel = 1.
        var options = new GradientCheckOptions { AbsoluteTolerance = 1e-8, RelativeTolerance = 0.5 };
        Assert.True(GradientChecker.Check(Small, _ => 0, Uniform(1e-8), options).Passed);
        Assert.False(GradientChecker.Check(Small, _ => 0, Uniform(1.0000001e-8), options).Passed);
    }

    [Fact]
    public void A_relative_error_exactly_at_rtol_passes()
    {
        // f ≡ 0: rel = |a| / |a| = 1 exactly, abs = 0.5 > atol = 0.
        var options = new GradientCheckOptions { AbsoluteTolerance = 0, RelativeTolerance = 1 };
        Assert.True(GradientChecker.Check(Small, _ => 0, Uniform(0.5), options).Passed);
        Assert.False(GradientChecker.Check(Small, _ => 0, Uniform(0.5), new GradientCheckOptions { AbsoluteTolerance = 0, RelativeTolerance = 0.999 }).Passed);
    }

    [Fact]
    public void Zero_tolerances_are_valid_and_exact_zeros_pass()
    {
        var options = new GradientCheckOptions { AbsoluteTolerance = 0, RelativeTolerance = 0 };
        Assert.True(GradientChecker.Check(Small, _ => 0, Uniform(0), options).Passed);
    }

    [Fact]
    public void The_worst_element_is_the_one_furthest_outside_its_tolerance_not_the_largest_error()
    {
        // f = 100 · (w1[0, 1] − its value), so f(θ) = 0 (atol is not scaled) and the numeric gradient is (0, 100).
        // Analytic (1e-6, 100.01):
        // element 0 is 100 × its bound (atol 1e-8), element 1 only 50 × its bound (rtol · 200 = 2e-4).
        Network n = Network.CreateRandom(2, 1, Head.Regression, seed: 1);
        var g = new Gradients(2, 1);
        g.W1[0] = 1e-6;
        g.W1[1] = 100.01;
        double w = n.W1[1];
        TensorCheck w1 = GradientChecker.Check(n, net => 100 * (net.W1[1] - w), g)["w1"];
        Assert.Equal(0, w1.WorstIndex);
        Assert.Equal("w1[0, 0]", w1.WorstPosition);
        Assert.Equal(0.01, w1.MaxAbsoluteError, 1e-6);
        Assert.Equal(1.0, w1.MaxRelativeError, 1e-12);    // element 0: |1e-6 − 0| / 1e-6

        g.W1[0] = 0;                                      // now element 1 is the only one outside
        TensorCheck again = GradientChecker.Check(n, net => 100 * (net.W1[1] - w), g)["w1"];
        Assert.Equal(1, again.WorstIndex);
        Assert.Equal(100.01, again.Analytic);
        Assert.Equal(100, again.Numeric, 1e-6);
        Assert.Equal(0.01 / 200.01, again.MaxRelativeError, 1e-6);
    }

    [Fact]
    public void A_passing_report_still_names_its_worst_element_with_its_values()
    {
        Case c = Case.Standard(Head.Regression).Last();
        var analytic = new Gradients(4, 3);
        Backprop.Objective(c.Network, c.X, c.Y, c.S ?? [], 0, analytic);
        GradientCheckReport report = GradientChecker.Check(c.Network, c.X, c.Y, c.S);
        Assert.True(report.Passed);
        TensorCheck w1 = report["w1"];
        Assert.Equal(analytic.W1[w1.WorstIndex], w1.Analytic);
        Assert.NotEqual(0.0, w1.Numeric);
        Assert.Equal(["w1", "b1", "w2", "b2"], report.Tensors.Select(t => t.Name));
        Assert.Equal($"b1[{report["b1"].WorstIndex}]", report["b1"].WorstPosition);
        Assert.Equal($"w2[{report["w2"].WorstIndex}]", report["w2"].WorstPosition);
        Assert.Equal("b2", report["b2"].WorstPosition);
        Assert.Equal([12, 3, 3, 1], report.Tensors.Select(t => t.Checked));
        Assert.Throws<InvalidOperationException>(() => report["w3"]);
    }

    [Fact]
    public void Every_central_difference_is_centred_on_the_parameters()
    {
        // Record every point the objective is evaluated at: they must come in pairs θ ± ε·u around θ, in both modes.
        foreach (int directions in new[] { 0, 3 })
        {
            Case c = Case.Standard(Head.BinaryClassification).Last();
            var points = new List<double[]>();
            double F(Network n)
            {
                points.Add([.. n.W1, .. n.B1, .. n.W2, n.B2[0]]);
                return Oracle.Loss(n, c.X, c.Y, c.S);
            }

            var analytic = new Gradients(4, 3);
            Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], analytic);
            GradientCheckReport report = GradientChecker.Check(c.Network, F, analytic, new GradientCheckOptions { RandomDirections = directions });
            Assert.True(report.Passed, report.ToString());
            double[] theta = [.. c.Network.W1, .. c.Network.B1, .. c.Network.W2, c.Network.B2[0]];
            Assert.Equal(theta, points[0]);                   // the first evaluation is f(θ), for the loss scale
            Assert.Equal(1, points.Count % 2);
            for (int p = 1; p < points.Count; p += 2)
            {
                for (int i = 0; i < theta.Length; i++)
                {
                    Assert.Equal(theta[i], (points[p][i] + points[p + 1][i]) / 2, 1e-15);
                }
            }

            int expected = directions == 0 ? 2 * 19 : 2 * (3 * directions + 1);
            Assert.Equal(1 + expected, points.Count);
        }
    }

    [Fact]
    public void The_table_says_what_was_checked_and_how()
    {
        Case c = Case.Standard(Head.Regression).Last();
        string full = GradientChecker.Check(c.Network, c.X, c.Y, c.S).ToString();
        Assert.StartsWith("Gradient check (every element; eps = 1E-06, atol = 1E-08, rtol = 1E-06): PASSED", full);
        Assert.Contains("tensor  checked  max abs error  max rel error  worst", full);
        Assert.Contains("b2", full);
        string fast = GradientChecker.Check(c.Network, c.X, c.Y, c.S, options: new GradientCheckOptions { RandomDirections = 4 }).ToString();
        Assert.StartsWith("Gradient check (4 random directions per tensor;", fast);
        Assert.Contains("direction ", fast);
    }

    [Fact]
    public void Null_arguments_are_named()
    {
        Case c = Case.Standard(Head.Regression).First();
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => GradientChecker.Check(null!, c.X, c.Y)).ParamName);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => GradientChecker.Check(null!, _ => 0, new Gradients(1, 1))).ParamName);
        Assert.Equal("objective", Assert.Throws<ArgumentNullException>(() => GradientChecker.Check(c.Network, null!, new Gradients(1, 1))).ParamName);
        Assert.Equal("analytic", Assert.Throws<ArgumentNullException>(() => GradientChecker.Check(c.Network, _ => 0, null!)).ParamName);
    }

    [Theory]
    [InlineData("Epsilon", 0.0, "Epsilon is 0; it must be a finite number > 0")]
    [InlineData("AbsoluteTolerance", -1.0, "AbsoluteTolerance is -1; it must be a finite number ≥ 0")]
    [InlineData("AbsoluteTolerance", double.PositiveInfinity, "AbsoluteTolerance is ∞; it must be a finite number ≥ 0")]
    [InlineData("RelativeTolerance", double.PositiveInfinity, "RelativeTolerance is ∞; it must be a finite number ≥ 0")]
    [InlineData("RelativeTolerance", -0.5, "RelativeTolerance is -0.5; it must be a finite number ≥ 0")]
    [InlineData("RandomDirections", -1.0, "RandomDirections is -1; it must be ≥ 0")]
    public void Invalid_options_say_what_is_valid(string option, double value, string message)
    {
        var options = new GradientCheckOptions();
        typeof(GradientCheckOptions).GetProperty(option)!.SetValue(options, option == "RandomDirections" ? (object)(int)value : value);
        Case c = Case.Standard(Head.Regression).First();
        var e = Assert.ThrowsAny<ArgumentException>(() => GradientChecker.Check(c.Network, c.X, c.Y, options: options));
        Assert.Equal(option, e.ParamName);
        Assert.Contains(message.Replace("∞", "Infinity"), e.Message);
    }

    [Fact]
    public void A_gradient_of_the_wrong_shape_is_rejected_with_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => GradientChecker.Check(Small, _ => 0, new Gradients(2, 3)));
        Assert.Contains("analytic is shaped D = 2, H = 3 but the network is D = 2, H = 1", e.Message);
    }

    private static Gradients Uniform(double value)
    {
        var g = new Gradients(2, 1);
        Array.Fill(g.W1, value);
        Array.Fill(g.B1, value);
        Array.Fill(g.W2, value);
        g.B2[0] = value;
        return g;
    }
}

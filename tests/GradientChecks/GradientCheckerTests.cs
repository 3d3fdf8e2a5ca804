using static TinyNet.GradientChecks.WrongGradients;

namespace TinyNet.GradientChecks;

/// <summary>The user-facing <see cref="GradientChecker"/>: it passes right gradients and catches wrong ones, for the right tensor.</summary>
public class GradientCheckerTests
{
    public static TheoryData<Mistake, string[], Head> Mistakes
    {
        get
        {
            var data = new TheoryData<Mistake, string[], Head>();
            foreach (Head head in new[] { Head.Regression, Head.BinaryClassification })
            {
                data.Add(Mistake.DroppedSigmoidDerivative, ["w1", "b1"], head);
                data.Add(Mistake.FlippedSign, ["w1", "b1", "w2", "b2"], head);
                data.Add(Mistake.FactorTwo, ["w2"], head);
                data.Add(Mistake.TransposedW1, ["w1"], head);
                data.Add(Mistake.MissingX, ["w1"], head);
                data.Add(Mistake.SineDerivative, ["w1", "b1"], head);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Each_wrong_gradient_fails_exactly_the_tensors_it_touches(Mistake mistake, string[] wrong, Head head)
    {
        Case c = Case.Standard(head).Last();
        GradientCheckReport report = Check(c, mistake);
        Assert.False(report.Passed);
        foreach (TensorCheck t in report.Tensors)
        {
            Assert.True(t.Passed != wrong.Contains(t.Name), $"{mistake}: {t.Name} passed = {t.Passed}\n{report}");
        }
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Fast_mode_with_random_directions_catches_them_too(Mistake mistake, string[] wrong, Head head)
    {
        Case c = Case.Standard(head).Last();
        GradientCheckReport report = Check(c, mistake, new GradientCheckOptions { RandomDirections = 4, Seed = 1 });
        var sizes = new Dictionary<string, int> { ["w1"] = c.Network.W1.Length, ["b1"] = c.Network.B1.Length, ["w2"] = c.Network.W2.Length, ["b2"] = c.Network.B2.Length };
        foreach (TensorCheck t in report.Tensors)
        {
            Assert.Equal(Math.Min(4, sizes[t.Name]), t.Checked);   // a tensor of no more elements than directions is checked element by element
            Assert.True(t.Passed != wrong.Contains(t.Name), $"{mistake}: {t.Name} passed = {t.Passed}\n{report}");
        }
    }

    [Theory]
    [InlineData(Head.Regression)]
    [InlineData(Head.BinaryClassification)]
    public void The_right_gradients_pass_every_tensor(Head head)
    {
        foreach (Case c in Case.Standard(head))
        {
            GradientCheckReport report = Check(c, Mistake.None);
            Assert.True(report.Passed, report.ToString());
            Assert.All(report.Tensors, t => Assert.True(t.MaxRelativeError < 1e-7 || t.MaxAbsoluteError < 1e-9, t.ToString()));
        }
    }

    [Fact]
    public void The_report_names_the_worst_element_with_both_values()
    {
        Case c = Case.Standard(Head.Regression).Last();
        GradientCheckReport report = Check(c, Mistake.MissingX);
        TensorCheck w1 = report["w1"];
        Gradients wrong = Compute(c, Mistake.MissingX);
        Gradients numeric = Oracle.Numeric(c.Network, n => Oracle.Loss(n, c.X, c.Y, c.S));
        Assert.Equal(wrong.W1[w1.WorstIndex], w1.Analytic);
        Assert.Equal(numeric.W1[w1.WorstIndex], w1.Numeric, 1e-8);
        Assert.Equal($"w1[{w1.WorstIndex / 4}, {w1.WorstIndex % 4}]", w1.WorstPosition);
        Assert.Equal(Enumerable.Range(0, 12).Max(i => Math.Abs(wrong.W1[i] - numeric.W1[i])), w1.MaxAbsoluteError, 1e-8);
        Assert.Equal(12, w1.Checked);

        string table = report.ToString();
        Assert.Contains("FAILED", table);
        Assert.Contains(w1.WorstPosition, table);
        Assert.Contains("FAIL", table.Split('\n').Single(l => l.StartsWith("w1")));
        Assert.Contains("ok", table.Split('\n').Single(l => l.StartsWith("b2")));
    }

    [Fact]
    public void ThrowOnFailure_throws_with_the_table()
    {
        Case c = Case.Standard(Head.BinaryClassification).Last();
        var e = Assert.Throws<GradientCheckException>(() => Check(c, Mistake.FactorTwo, new GradientCheckOptions { ThrowOnFailure = true }));
        Assert.False(e.Report["w2"].Passed);
        Assert.Contains("w2", e.Message);
        Assert.Contains("FAIL", e.Message);
        Check(c, Mistake.None, new GradientCheckOptions { ThrowOnFailure = true });   // does not throw
    }

    [Fact]
    public void Checking_TinyNets_own_objective_with_L2_and_weights_passes()
    {
        Case c = Case.Standard(Head.BinaryClassification).Last();
        GradientCheckReport report = GradientChecker.Check(c.Network, c.X, c.Y, c.S, l2: 0.3);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void A_wrong_L2_term_is_caught()
    {
        // The objective has (λ/2)‖w‖²; a gradient that forgets it must fail on w1 and w2 but not on the biases.
        Case c = Case.Standard(Head.Regression).Last();
        var withoutPenalty = new Gradients(4, 3);
        Backprop.Objective(c.Network, c.X, c.Y, c.S ?? [], 0.0, withoutPenalty);
        GradientCheckReport report = GradientChecker.Check(c.Network, n => Backprop.Objective(n, c.X, c.Y, c.S ?? [], 0.5), withoutPenalty);
        Assert.False(report["w1"].Passed);
        Assert.False(report["w2"].Passed);
        Assert.True(report["b1"].Passed);
        Assert.True(report["b2"].Passed);
    }

    [Fact]
    public void The_checker_does_not_change_the_network()
    {
        Case c = Case.Standard(Head.Regression).Last();
        double[] before = [.. c.Network.W1];
        GradientChecker.Check(c.Network, c.X, c.Y, c.S, options: new GradientCheckOptions { RandomDirections = 3 });
        GradientChecker.Check(c.Network, c.X, c.Y, c.S);
        Assert.Equal(before, c.Network.W1);
    }

    [Theory]
    [InlineData(nameof(GradientCheckOptions.Epsilon))]
    [InlineData(nameof(GradientCheckOptions.AbsoluteTolerance))]
    [InlineData(nameof(GradientCheckOptions.RelativeTolerance))]
    [InlineData(nameof(GradientCheckOptions.RandomDirections))]
    public void Invalid_options_are_named(string option)
    {
        var options = new GradientCheckOptions();
        switch (option)
        {
            case nameof(GradientCheckOptions.Epsilon): options.Epsilon = 0; break;
            case nameof(GradientCheckOptions.AbsoluteTolerance): options.AbsoluteTolerance = -1; break;
            case nameof(GradientCheckOptions.RelativeTolerance): options.RelativeTolerance = double.NaN; break;
            default: options.RandomDirections = -1; break;
        }

        Case c = Case.Standard(Head.Regression).First();
        Assert.Equal(option, Assert.ThrowsAny<ArgumentException>(() => GradientChecker.Check(c.Network, c.X, c.Y, options: options)).ParamName);
        Assert.Equal("analytic", Assert.Throws<ArgumentException>(() => GradientChecker.Check(c.Network, _ => 0, new Gradients(2, 1))).ParamName);
    }

    [Fact]
    public void NaN_gradients_fail()
    {
        Case c = Case.Standard(Head.Regression).First();
        var g = new Gradients(1, 1) { B2 = { [0] = double.NaN } };
        GradientCheckReport report = GradientChecker.Check(c.Network, n => Oracle.Loss(n, c.X, c.Y), g);
        Assert.False(report["b2"].Passed);
        Assert.Equal(double.PositiveInfinity, report["b2"].MaxAbsoluteError);
        Assert.Equal(double.PositiveInfinity, report["b2"].MaxRelativeError);

        // A NaN among finite elements is the worst element, wherever it is.
        Case wide = Case.Standard(Head.Regression).Last();
        Gradients right = WrongGradients.Compute(wide, WrongGradients.Mistake.None);
        right.W1[5] = double.NaN;
        TensorCheck w1 = GradientChecker.Check(wide.Network, n => Oracle.Loss(n, wide.X, wide.Y, wide.S), right)["w1"];
        Assert.False(w1.Passed);
        Assert.Equal(5, w1.WorstIndex);
        Assert.Equal("w1[1, 1]", w1.WorstPosition);
    }
}

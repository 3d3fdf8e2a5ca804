namespace TinyNet.Tests;

public class LossesTests
{
    /// <summary>
    /// The softmax cross-entropy against values computed to 60 digits (Python's decimal: logsumexp(z) − z_y), to a few
    /// ulps: a confidently right row keeps its relative digits (logsumexp − z_y gave 0 for [40, 0] and was 21% off for
    /// [730, 700, 670]), a wrong one too.
    /// </summary>
    [Theory]
    [InlineData(new[] { 40.0, 0.0 }, 0, 4.24835425529158887e-18)]
    [InlineData(new[] { 40.0, 0.0, 0.0 }, 0, 8.49670851058317774e-18)]
    [InlineData(new[] { 730.0, 700.0, 670.0 }, 0, 9.35762296884061279e-14)]
    [InlineData(new[] { 730.0, 700.0, 670.0 }, 2, 6.00000000000000924e+01)]
    [InlineData(new[] { 20.0, 0.0, -5.0 }, 0, 2.07504156415062297e-09)]
    [InlineData(new[] { 0.0, 40.0 }, 1, 4.24835425529158887e-18)]
    public void Cross_entropy_matches_a_high_precision_value_with_full_relative_precision(double[] z2, int y, double exact)
    {
        double loss = Losses.CrossEntropyFromLogits(y, z2);
        Assert.True(Math.Abs(loss - exact) <= 4e-16 * exact, $"ℓ = {loss:R}, exact {exact:R}, relative error {Math.Abs(loss - exact) / exact:E2}");
    }

    [Fact]
    public void Logsumexp_keeps_the_digits_of_the_smaller_terms()
    {
        Assert.Equal(730 + 9.35762296884061279e-14, Losses.LogSumExp([670.0, 700.0, 730.0]), 1e-12);
        Assert.Equal(Math.Log(3.0), Losses.LogSumExp([0.0, 0.0, 0.0]), 1e-15);
        Assert.Throws<ArgumentException>(() => Losses.LogSumExp([]));
    }

    [Theory]
    [InlineData(1.0, 0.3)]
    [InlineData(0.0, 0.3)]
    [InlineData(1.0, -4.0)]
    [InlineData(0.0, 6.0)]
    public void Log_loss_from_the_logit_equals_the_notes_formula(double y, double z2)
    {
        double a2 = Activations.Sigmoid(z2);
        double notes = -((1 - y) * Math.Log(1 - a2) + y * Math.Log(a2));    // P5
        Assert.Equal(notes, Losses.LogLossFromLogit(y, z2), 1e-12);
    }

    [Theory]
    [InlineData(1.0, -1000.0, 1000.0)]   // confidently wrong: loss ≈ |z2|, not log(0) = ∞
    [InlineData(0.0, 1000.0, 1000.0)]
    [InlineData(1.0, 1000.0, 0.0)]       // confidently right: loss ≈ 0, not NaN
    [InlineData(0.0, -1000.0, 0.0)]
    public void Log_loss_is_finite_for_saturated_logits(double y, double z2, double expected)
    {
        double loss = Losses.LogLossFromLogit(y, z2);
        Assert.True(double.IsFinite(loss));
        Assert.Equal(expected, loss, 1e-9);
    }

    [Fact]
    public void Softplus_is_stable_and_correct()
    {
        Assert.Equal(Math.Log(2), Losses.Softplus(0), 1e-15);
        Assert.Equal(Math.Log(1 + Math.Exp(3)), Losses.Softplus(3), 1e-14);
        Assert.Equal(710.0, Losses.Softplus(710), 1e-12);
        Assert.Equal(0.0, Losses.Softplus(-800));
    }

    [Fact]
    public void Half_squared_error_and_dispatch_by_head()
    {
        Assert.Equal(0.5 * 9, Losses.HalfSquaredError(1, 4));
        Assert.Equal(Losses.HalfSquaredError(2, -1), Losses.Loss(Head.Regression, 2, -1));
        Assert.Equal(Losses.LogLossFromLogit(1, -1), Losses.Loss(Head.BinaryClassification, 1, -1));
    }
}

/// <summary>The log-loss of a confident correct prediction keeps its digits (no cancellation).</summary>
public class LogLossPrecisionTests
{
    /// <summary>
    /// For y = 1 the loss is log(1 + e^(−z)) and for y = 0 it is log(1 + e^z); for e = e^(−|z|) ≤ e^(−20) the series
    /// e − e²/2 + e³/3 is exact to far below a double ulp, so it is a high-precision reference.
    /// </summary>
    [Theory]
    [InlineData(20.0)]
    [InlineData(30.0)]
    [InlineData(37.0)]
    [InlineData(40.0)]
    [InlineData(100.0)]
    [InlineData(700.0)]
    public void Confident_correct_predictions_have_the_exact_small_loss(double z)
    {
        double e = Math.Exp(-z);
        double exact = e - e * e / 2 + e * e * e / 3;
        Assert.True(exact > 0);
        Assert.Equal(1.0, Losses.LogLossFromLogit(1.0, z) / exact, 1e-14);
        Assert.Equal(1.0, Losses.LogLossFromLogit(0.0, -z) / exact, 1e-14);
        Assert.Equal(1.0, Losses.Softplus(-z) / exact, 1e-14);
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-17)]
    [InlineData(1e-9)]
    [InlineData(0.5)]
    [InlineData(3.0)]
    public void Log1P_is_accurate_for_tiny_and_ordinary_arguments(double x)
    {
        double series = x < 1e-6 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);
        Assert.Equal(1.0, Losses.Log1P(x) / series, 1e-15);
    }
}

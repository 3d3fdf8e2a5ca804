namespace TinyNet.Tests;

public class LossesTests
{
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

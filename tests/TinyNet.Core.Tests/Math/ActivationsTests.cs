namespace TinyNet.Tests;

public class ActivationsTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.7310585786300049)]
    [InlineData(-1.0, 0.2689414213699951)]
    [InlineData(30.0, 0.9999999999999065)]
    [InlineData(-30.0, 9.357622968840175e-14)]
    public void Sigmoid_matches_known_values(double z, double expected) =>
        Assert.Equal(expected, Activations.Sigmoid(z), 1e-15);

    [Theory]
    [InlineData(800.0, 1.0)]
    [InlineData(-800.0, 0.0)]
    [InlineData(double.MaxValue, 1.0)]
    [InlineData(double.MinValue, 0.0)]
    public void Sigmoid_does_not_overflow_for_large_inputs(double z, double expected)
    {
        double a = Activations.Sigmoid(z);
        Assert.True(double.IsFinite(a));
        Assert.Equal(expected, a);
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(0.2)]
    [InlineData(4.0)]
    public void Sigmoid_derivative_through_a_matches_central_difference(double z)
    {
        const double h = 1e-6;
        double numeric = (Activations.Sigmoid(z + h) - Activations.Sigmoid(z - h)) / (2 * h);
        Assert.Equal(numeric, Activations.SigmoidDerivative(Activations.Sigmoid(z)), 1e-9);
    }

    [Fact]
    public void Identity_and_its_derivative()
    {
        Assert.Equal(-2.5, Activations.Identity(-2.5));
        Assert.Equal(1.0, Activations.IdentityDerivative(123.0));
        Assert.Equal(-2.5, Activations.Output(Head.Regression, -2.5));
        Assert.Equal(Activations.Sigmoid(-2.5), Activations.Output(Head.BinaryClassification, -2.5));
    }
}

namespace TinyNet.Tests;

public class NetworkTests
{
    [Fact]
    public void Forward_reproduces_the_notes_scalar_network()
    {
        // D = H = 1, w1 = 0.5, b1 = 0, w2 = 1, b2 = 0, x = 2 (P1):
        // z1 = 0.5·2 + 0 = 1; a1 = σ(1) = 0.7310585786300049; z2 = 1·a1 + 0 = 0.7310585786300049;
        // a2 = z2 (regression) or σ(z2) = 0.6750375273768237 (binary).
        var network = Scalar(Head.Regression);
        var z1 = new double[1];
        var a1 = new double[1];
        double z2 = network.Forward([2.0], z1, a1);
        Assert.Equal(1.0, z1[0]);
        Assert.Equal(0.7310585786300049, a1[0], 1e-16);
        Assert.Equal(0.7310585786300049, z2, 1e-16);
        Assert.Equal(0.7310585786300049, network.Predict([2.0]), 1e-16);
        Assert.Equal(0.6750375273768237, Scalar(Head.BinaryClassification).Predict([2.0]), 1e-16);
    }

    [Fact]
    public void Single_row_and_batched_predictions_agree_with_forward()
    {
        var network = Network.CreateRandom(3, 4, Head.BinaryClassification, seed: 1);
        float[] rows = [0.5f, -1f, 2f, 1.5f, 0f, -0.25f];
        var batch = new double[2];
        network.Predict(rows, batch);
        for (int i = 0; i < 2; i++)
        {
            double[] x = TestData.ToDouble(rows.AsSpan(i * 3, 3));
            double z2 = network.Forward(x, new double[4], new double[4]);
            Assert.Equal(Activations.Sigmoid(z2), batch[i], 1e-15);
            Assert.Equal(z2, network.PredictLogit(rows.AsSpan(i * 3, 3)), 1e-15);
        }
    }

    [Fact]
    public void Prediction_does_not_allocate()
    {
        var network = Network.CreateRandom(30, 16, Head.BinaryClassification, seed: 1);
        var rows = new float[30 * 8];
        var output = new double[8];
        network.Predict(rows, output);
        network.Predict(rows.AsSpan(0, 30));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            network.Predict(rows, output);
            network.Predict(rows.AsSpan(0, 30));
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void CreateRandom_is_Glorot_uniform_and_seeded()
    {
        var a = Network.CreateRandom(50, 40, Head.Regression, seed: 3);
        var b = Network.CreateRandom(50, 40, Head.Regression, seed: 3);
        var c = Network.CreateRandom(50, 40, Head.Regression, seed: 4);
        Assert.Equal(a.W1, b.W1);
        Assert.NotEqual(a.W1, c.W1);
        double r1 = Math.Sqrt(6.0 / 90);
        Assert.All(a.W1, w => Assert.InRange(w, -r1, r1));
        Assert.True(a.W1.Max() > 0.9 * r1 && a.W1.Min() < -0.9 * r1, "w1 should fill its Glorot range");
        Assert.All(a.W2, w => Assert.InRange(w, -Math.Sqrt(6.0 / 41), Math.Sqrt(6.0 / 41)));
        Assert.All(a.B1, b1 => Assert.Equal(0.0, b1));
        Assert.Equal(0.0, a.B2[0]);
    }

    [Theory]
    [InlineData(0, 3, "inputCount", "D must be at least 1")]
    [InlineData(-2, 3, "inputCount", "D must be at least 1")]
    [InlineData(3, 0, "hiddenCount", "H must be at least 1")]
    public void Invalid_shapes_are_rejected_with_the_parameter_named(int d, int h, string parameter, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new Network(d, h, Head.Regression));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_rejected()
    {
        var network = new Network(3, 2, Head.Regression);
        var e = Assert.Throws<ArgumentException>(() => network.Predict(new double[2]));
        Assert.Contains("D = 3", e.Message);
        var batch = Assert.Throws<ArgumentException>(() => network.Predict(new float[7], new double[2]));
        Assert.Equal("features", batch.ParamName);
    }

    internal static Network Scalar(Head head)
    {
        var network = new Network(1, 1, head);
        network.W1[0] = 0.5;
        network.B1[0] = 0.0;
        network.W2[0] = 1.0;
        network.B2[0] = 0.0;
        return network;
    }
}

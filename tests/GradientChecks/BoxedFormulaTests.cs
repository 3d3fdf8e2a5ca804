namespace TinyNet.GradientChecks;

/// <summary>
/// Each boxed formula of the notes against central finite differences of the loss (<see cref="Oracle.Loss"/>), in
/// double precision, on the notes' scalar case, a batch, and D, H &gt; 1. The regression formulas are checked against
/// L = Σ ½ (y − a2)² (errata E2), the classification ones against L = Σ log-loss.
/// </summary>
public class BoxedFormulaTests
{
    public static TheoryData<Case> Regression => [.. Case.Standard(Head.Regression)];

    public static TheoryData<Case> Classification => [.. Case.Standard(Head.BinaryClassification)];

    /// <summary>P2, first box: ∂L/∂w2 = Σ (a2 − y) a1 (identity output, squared error).</summary>
    [Theory]
    [MemberData(nameof(Regression))]
    public void P2_regression_dL_dw2(Case c) => Check(c, (a, n) => Oracle.AssertAgree(a.W2, n.W2, "∂L/∂w2"));

    /// <summary>P2, second box: ∂L/∂b2 = Σ (a2 − y).</summary>
    [Theory]
    [MemberData(nameof(Regression))]
    public void P2_regression_dL_db2(Case c) => Check(c, (a, n) => Oracle.AssertAgree([a.B2[0]], [n.B2[0]], "∂L/∂b2"));

    /// <summary>P3, first box: ∂L/∂w1 = Σ (a2 − y) w2 a1 (1 − a1) X (the trailing × is X, errata E5).</summary>
    [Theory]
    [MemberData(nameof(Regression))]
    public void P3_regression_dL_dw1(Case c) => Check(c, (a, n) => Oracle.AssertAgree(a.W1, n.W1, "∂L/∂w1"));

    /// <summary>P3, second box: ∂L/∂b1 = Σ (a2 − y) w2 a1 (1 − a1).</summary>
    [Theory]
    [MemberData(nameof(Regression))]
    public void P3_regression_dL_db1(Case c) => Check(c, (a, n) => Oracle.AssertAgree(a.B1, n.B1, "∂L/∂b1"));

    /// <summary>P5, box: ∂L/∂w2 = (a2 − y) a1 (sigmoid output, log-loss), summed over the batch.</summary>
    [Theory]
    [MemberData(nameof(Classification))]
    public void P5_classification_dL_dw2(Case c) => Check(c, (a, n) => Oracle.AssertAgree(a.W2, n.W2, "∂L/∂w2"));

    /// <summary>P6, first box: ∂L/∂b2 = (a2 − y).</summary>
    [Theory]
    [MemberData(nameof(Classification))]
    public void P6_classification_dL_db2(Case c) => Check(c, (a, n) => Oracle.AssertAgree([a.B2[0]], [n.B2[0]], "∂L/∂b2"));

    /// <summary>P6, second box: ∂L/∂w1 = (a2 − y) w2 a1 (1 − a1) X.</summary>
    [Theory]
    [MemberData(nameof(Classification))]
    public void P6_classification_dL_dw1(Case c) => Check(c, (a, n) => Oracle.AssertAgree(a.W1, n.W1, "∂L/∂w1"));

    /// <summary>P6, third box: ∂L/∂b1 = (a2 − y) w2 a1 (1 − a1).</summary>
    [Theory]
    [MemberData(nameof(Classification))]
    public void P6_classification_dL_db1(Case c) => Check(c, (a, n) => Oracle.AssertAgree(a.B1, n.B1, "∂L/∂b1"));

    /// <summary>
    /// The boxes as the notes write them for one output, δ2 a number (P2–P3, P5–P6): summed per sample with the scalar
    /// forms (<c>Delta2(a2, y)</c>, <c>AddDLossDW2(δ2, …)</c>, <c>DLossDB2</c>, <c>Delta1(δ2, …)</c>), every tensor against
    /// the finite differences, for both one-output heads.
    /// </summary>
    [Theory]
    [MemberData(nameof(Regression))]
    [MemberData(nameof(Classification))]
    public void The_scalar_boxes_summed_per_sample_give_the_gradient(Case c)
    {
        Network net = c.Network;
        int d = net.InputCount, hCount = net.HiddenCount;
        var analytic = new Gradients(d, hCount);
        var z1 = new double[hCount];
        var a1 = new double[hCount];
        var delta1 = new double[hCount];
        for (int i = 0; i < c.Y.Length; i++)
        {
            double[] x = c.X[(i * d)..((i + 1) * d)];
            double z2 = net.Forward(x, z1, a1);
            double a2 = net.Head == Head.Regression ? Activations.Identity(z2) : Activations.Sigmoid(z2);
            double delta2 = (c.S?[i] ?? 1.0) * Backprop.Delta2(a2, c.Y[i]);
            Backprop.AddDLossDW2(delta2, a1, analytic.W2);
            analytic.B2[0] += Backprop.DLossDB2(delta2);
            Backprop.Delta1(delta2, net.W2, a1, delta1);
            Backprop.AddDLossDW1(delta1, x, analytic.W1);
            Backprop.AddDLossDB1(delta1, analytic.B1);
        }

        Gradients numeric = Oracle.Numeric(net, n => Oracle.Loss(n, c.X, c.Y, c.S));
        Oracle.AssertAgree(analytic.W2, numeric.W2, "∂L/∂w2");
        Oracle.AssertAgree(analytic.B2, numeric.B2, "∂L/∂b2");
        Oracle.AssertAgree(analytic.W1, numeric.W1, "∂L/∂w1");
        Oracle.AssertAgree(analytic.B1, numeric.B1, "∂L/∂b1");
    }

    private static void Check(Case c, Action<Gradients, Gradients> compare)
    {
        var analytic = new Gradients(c.Network.InputCount, c.Network.HiddenCount);
        double loss = Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], analytic);
        Assert.Equal(Oracle.Loss(c.Network, c.X, c.Y, c.S), loss, 1e-12);
        Gradients numeric = Oracle.Numeric(c.Network, n => Oracle.Loss(n, c.X, c.Y, c.S));
        compare(analytic, numeric);
    }
}

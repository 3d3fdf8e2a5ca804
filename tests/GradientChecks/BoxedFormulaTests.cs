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

    private static void Check(Case c, Action<Gradients, Gradients> compare)
    {
        var analytic = new Gradients(c.Network.InputCount, c.Network.HiddenCount);
        double loss = Backprop.Compute(c.Network, c.X, c.Y, c.S ?? [], analytic);
        Assert.Equal(Oracle.Loss(c.Network, c.X, c.Y, c.S), loss, 1e-12);
        Gradients numeric = Oracle.Numeric(c.Network, n => Oracle.Loss(n, c.X, c.Y, c.S));
        compare(analytic, numeric);
    }
}

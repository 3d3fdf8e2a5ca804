using System.Numerics;

namespace TinyNet;

/// <summary>
/// The notes' two-layer network generalised to D inputs and H sigmoid hidden units (P1), in double precision:
/// <code>
/// z1 = w1 · x + b1      (H values; w1 is H × D)
/// a1 = σ(z1)
/// z2 = w2 · a1 + b2     (one value)
/// a2 = z2               (regression)   or   a2 = σ(z2)   (binary classification)
/// </code>
/// With D = H = 1 this is exactly the scalar network of the notes. The parameters keep the notes' names.
/// This class is the reference the fast engine and every test are compared against.
/// </summary>
public sealed class Network
{
    /// <summary>Creates a network with all parameters zero.</summary>
    /// <param name="inputCount">D, the number of inputs; at least 1.</param>
    /// <param name="hiddenCount">H, the number of sigmoid hidden units; at least 1.</param>
    /// <param name="head">The output layer and loss.</param>
    /// <exception cref="ArgumentException">D·H exceeds a .NET array's length, or the parameters would take more memory than
    /// this process may use; the message says how many bytes.</exception>
    public Network(int inputCount, int hiddenCount, Head head)
    {
        if (inputCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount,
                $"The number of inputs D must be at least 1 (got {inputCount}).");
        }

        if (hiddenCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenCount), hiddenCount,
                $"The number of hidden units H must be at least 1 (got {hiddenCount}).");
        }

        if (!Enum.IsDefined(head))
        {
            throw new ArgumentOutOfRangeException(nameof(head), head, "Head must be Regression or BinaryClassification.");
        }

        // Checked before allocating: D·H overflows int for D = H = 65536, and H = 10⁸ would ask for gigabytes.
        double weights = (double)hiddenCount * inputCount;
        string shape = $"A network with D = {inputCount} inputs and H = {hiddenCount} hidden units";
        Sizes.CheckArray(weights, sizeof(double), $"{shape} (w1 has D·H weights)", nameof(hiddenCount));
        Sizes.CheckMemory(8.0 * (weights + 2.0 * hiddenCount + 1), shape, "Use fewer hidden units.", nameof(hiddenCount));

        InputCount = inputCount;
        HiddenCount = hiddenCount;
        Head = head;
        W1 = new double[hiddenCount * inputCount];
        B1 = new double[hiddenCount];
        W2 = new double[hiddenCount];
    }

    /// <summary>D, the number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>H, the number of hidden units.</summary>
    public int HiddenCount { get; }

    /// <summary>The output layer and loss.</summary>
    public Head Head { get; }

    /// <summary>w1, the H × D hidden-layer weights, row-major: w1[h, d] is <c>W1[h * D + d]</c>.</summary>
    public double[] W1 { get; }

    /// <summary>b1, the H hidden-layer biases.</summary>
    public double[] B1 { get; }

    /// <summary>w2, the H output weights.</summary>
    public double[] W2 { get; }

    /// <summary>b2, the output bias.</summary>
    public double B2 { get; set; }

    /// <summary>
    /// A network with Glorot-uniform weights drawn from <paramref name="seed"/> and zero biases:
    /// w1 ~ U(−r1, r1) with r1 = √(6 / (D + H)), w2 ~ U(−r2, r2) with r2 = √(6 / (H + 1)) (Glorot and Bengio,
    /// 2010). The generator is SplitMix64, so a seed gives the same network on every runtime.
    /// </summary>
    public static Network CreateRandom(int inputCount, int hiddenCount, Head head, ulong seed)
    {
        var network = new Network(inputCount, hiddenCount, head);
        var rng = new Rng(seed);
        double r1 = Math.Sqrt(6.0 / (inputCount + hiddenCount));
        double r2 = Math.Sqrt(6.0 / (hiddenCount + 1));
        for (int i = 0; i < network.W1.Length; i++)
        {
            network.W1[i] = r1 * (2.0 * rng.NextDouble() - 1.0);
        }

        for (int h = 0; h < hiddenCount; h++)
        {
            network.W2[h] = r2 * (2.0 * rng.NextDouble() - 1.0);
        }

        return network;
    }

    /// <summary>A copy of an existing network's shape and parameters: nothing to validate or size-check again.</summary>
    private Network(Network source)
    {
        InputCount = source.InputCount;
        HiddenCount = source.HiddenCount;
        Head = source.Head;
        W1 = (double[])source.W1.Clone();
        B1 = (double[])source.B1.Clone();
        W2 = (double[])source.W2.Clone();
        B2 = source.B2;
    }

    /// <summary>A deep copy.</summary>
    public Network Clone() => new(this);

    /// <summary>
    /// The forward pass of P1 for one sample: fills z1 and a1 (H values each) and returns z2.
    /// a2 is <see cref="Activations.Output"/>(Head, z2).
    /// </summary>
    public double Forward(ReadOnlySpan<double> x, Span<double> z1, Span<double> a1)
    {
        CheckInput(x.Length, nameof(x));
        int d = InputCount;
        double z2 = B2;
        for (int h = 0; h < HiddenCount; h++)
        {
            ReadOnlySpan<double> w1Row = W1.AsSpan(h * d, d);
            double sum = B1[h];                       // z1 = w1 · x + b1
            for (int j = 0; j < d; j++)
            {
                sum += w1Row[j] * x[j];
            }

            z1[h] = sum;
            a1[h] = Activations.Sigmoid(sum);         // a1 = σ(z1)
            z2 += W2[h] * a1[h];                      // z2 = w2 · a1 + b2
        }

        return z2;
    }

    /// <summary>
    /// The logit z2 for one row (the Score of a binary model, the prediction of a regression model).
    /// Allocation-free.
    /// </summary>
    public double PredictLogit(ReadOnlySpan<double> x) => Logit(x);

    /// <inheritdoc cref="PredictLogit(ReadOnlySpan{double})"/>
    public double PredictLogit(ReadOnlySpan<float> x) => Logit(x);

    /// <summary>
    /// The output a2 for one row: the predicted value (regression) or the probability of the positive class
    /// (binary). Allocation-free.
    /// </summary>
    public double Predict(ReadOnlySpan<double> x) => Activations.Output(Head, Logit(x));

    /// <inheritdoc cref="Predict(ReadOnlySpan{double})"/>
    public double Predict(ReadOnlySpan<float> x) => Activations.Output(Head, Logit(x));

    /// <summary>
    /// Batched scoring in double precision (the reference): <paramref name="features"/> holds rows of D values back to
    /// back; writes a2 for each row into <paramref name="output"/>. Allocation-free.
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, Span<double> output)
    {
        if (features.Length != output.Length * InputCount)
        {
            throw new ArgumentException(
                $"features holds {features.Length} values but output has room for {output.Length} rows of D = {InputCount}; " +
                $"features must hold exactly output.Length × D = {output.Length * InputCount} values.", nameof(features));
        }

        for (int i = 0; i < output.Length; i++)
        {
            output[i] = Predict(features.Slice(i * InputCount, InputCount));
        }
    }

    /// <summary>
    /// A float32 <see cref="Scorer"/> of this network's current parameters, running the fast engine's SIMD kernels: the
    /// fast way to score many rows. Not thread-safe: one per thread (<see cref="Scorer.Clone"/>).
    /// </summary>
    public Scorer CreateScorer() => new(this);

    /// <summary>
    /// Batched float32 scoring: <paramref name="features"/> holds rows of D values back to back; writes a2 for each row
    /// into <paramref name="output"/>, through a new <see cref="Scorer"/> (for repeated calls, create one with
    /// <see cref="CreateScorer"/> and reuse it).
    /// </summary>
    public void Predict(ReadOnlySpan<float> features, Span<float> output) => CreateScorer().Predict(features, output);

    /// <summary>True if every parameter is a finite number.</summary>
    public bool IsFinite() =>
        double.IsFinite(B2) && AllFinite(W1) && AllFinite(B1) && AllFinite(W2);

    private static bool AllFinite(double[] values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private double Logit<T>(ReadOnlySpan<T> x)
        where T : INumberBase<T>
    {
        CheckInput(x.Length, nameof(x));
        int d = InputCount;
        double z2 = B2;
        for (int h = 0; h < HiddenCount; h++)
        {
            ReadOnlySpan<double> w1Row = W1.AsSpan(h * d, d);
            double z1 = B1[h];
            for (int j = 0; j < d; j++)
            {
                z1 += w1Row[j] * double.CreateTruncating(x[j]);
            }

            z2 += W2[h] * Activations.Sigmoid(z1);
        }

        return z2;
    }

    private void CheckInput(int length, string paramName)
    {
        if (length != InputCount)
        {
            throw new ArgumentException(
                $"x has {length} values but the network has D = {InputCount} inputs; pass exactly {InputCount} features.", paramName);
        }
    }
}

using System.Numerics;

namespace TinyNet;

/// <summary>
/// The notes' two-layer network generalised to D inputs, H sigmoid hidden units (P1) and K output units
/// (docs/notes-multiclass.md M1), in double precision:
/// <code>
/// z1 = w1 · x + b1      (H values; w1 is H × D)
/// a1 = σ(z1)
/// z2 = w2 · a1 + b2     (K values; w2 is K × H; K = 1 for regression and binary classification)
/// a2 = z2 (regression),   a2 = σ(z2) (binary classification),   a2 = softmax(z2) (multiclass, K ≥ 2)
/// </code>
/// With D = H = K = 1 this is exactly the scalar network of the notes. The parameters keep the notes' names.
/// This class is the reference the fast engine and every test are compared against.
/// </summary>
public sealed class Network
{
    /// <summary>Creates a one-output network (regression or binary classification) with all parameters zero.</summary>
    /// <param name="inputCount">D, the number of inputs; at least 1.</param>
    /// <param name="hiddenCount">H, the number of sigmoid hidden units; at least 1.</param>
    /// <param name="head">The output layer and loss: <see cref="Head.Regression"/> or <see cref="Head.BinaryClassification"/>
    /// (for <see cref="Head.MulticlassClassification"/> use the constructor with a class count).</param>
    /// <exception cref="ArgumentException">D·H exceeds a .NET array's length, or the parameters would take more memory than
    /// this process may use; the message says how many bytes.</exception>
    public Network(int inputCount, int hiddenCount, Head head)
        : this(inputCount, hiddenCount, head, TinyNet.OutputHead.For(head).DefaultOutputCount, nameof(head))
    {
    }

    /// <summary>Creates a network with all parameters zero and K = <paramref name="classCount"/> output units.</summary>
    /// <param name="inputCount">D, the number of inputs; at least 1.</param>
    /// <param name="hiddenCount">H, the number of sigmoid hidden units; at least 1.</param>
    /// <param name="head">The output layer and loss.</param>
    /// <param name="classCount">K: at least 2 for <see cref="Head.MulticlassClassification"/>; 1 for the other heads.</param>
    public Network(int inputCount, int hiddenCount, Head head, int classCount)
        : this(inputCount, hiddenCount, head, classCount, nameof(classCount))
    {
    }

    private Network(int inputCount, int hiddenCount, Head head, int classCount, string classCountName)
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

        OutputHead output = TinyNet.OutputHead.For(head);
        output.CheckOutputCount(classCount, classCountName);

        // Checked before allocating: D·H overflows int for D = H = 65536, and H = 10⁸ would ask for gigabytes.
        double weights = (double)hiddenCount * inputCount;
        string shape = $"A network with D = {inputCount} inputs and H = {hiddenCount} hidden units" + (classCount > 1 ? $" and K = {classCount} outputs" : "");
        Sizes.CheckArray(weights, sizeof(double), $"{shape} (w1 has D·H weights)", nameof(hiddenCount));
        Sizes.CheckArray((double)hiddenCount * classCount, sizeof(double), $"{shape} (w2 has K·H weights)", classCountName);
        Sizes.CheckMemory(8.0 * (weights + hiddenCount + (double)classCount * (hiddenCount + 1)), shape, "Use fewer hidden units.", nameof(hiddenCount));

        OutputHead = output;
        W1 = new double[hiddenCount * inputCount];
        B1 = new double[hiddenCount];
        W2 = new double[classCount * hiddenCount];
        B2 = new double[classCount];
    }

    /// <summary>D, the number of inputs.</summary>
    public int InputCount => W1.Length / B1.Length;

    /// <summary>H, the number of hidden units.</summary>
    public int HiddenCount => B1.Length;

    /// <summary>K, the number of output units: 1 for regression and binary classification, the classes for multiclass.</summary>
    public int OutputCount => B2.Length;

    /// <summary>The output layer and loss.</summary>
    public Head Head => OutputHead.Tag;

    /// <summary>The output layer and loss as the object that computes them.</summary>
    internal OutputHead OutputHead { get; }

    /// <summary>w1, the H × D hidden-layer weights, row-major: w1[h, d] is <c>W1[h * D + d]</c>.</summary>
    public double[] W1 { get; }

    /// <summary>b1, the H hidden-layer biases.</summary>
    public double[] B1 { get; }

    /// <summary>w2, the K × H output weights, row-major: w2[k, h] is <c>W2[k * H + h]</c> (K = 1: the H weights of the notes).</summary>
    public double[] W2 { get; }

    /// <summary>b2, the K output biases (K = 1: the notes' single b2 is <c>B2[0]</c>).</summary>
    public double[] B2 { get; }

    /// <summary>
    /// A one-output network (regression or binary classification) with Glorot-uniform weights drawn from
    /// <paramref name="seed"/> and zero biases: w1 ~ U(−r1, r1) with r1 = √(6 / (D + H)), w2 ~ U(−r2, r2) with
    /// r2 = √(6 / (H + 1)) (Glorot and Bengio, 2010). The generator is SplitMix64, so a seed gives the same network on
    /// every runtime.
    /// </summary>
    public static Network CreateRandom(int inputCount, int hiddenCount, Head head, ulong seed) =>
        Randomise(new Network(inputCount, hiddenCount, head), seed);

    /// <summary>
    /// As <see cref="CreateRandom(int, int, Head, ulong)"/> with K = <paramref name="classCount"/> outputs:
    /// w2 ~ U(−r2, r2) with r2 = √(6 / (H + K)), drawn row by row after w1.
    /// </summary>
    public static Network CreateRandom(int inputCount, int hiddenCount, Head head, int classCount, ulong seed) =>
        Randomise(new Network(inputCount, hiddenCount, head, classCount), seed);

    private static Network Randomise(Network network, ulong seed)
    {
        var rng = new Rng(seed);
        double r1 = Math.Sqrt(6.0 / (network.InputCount + network.HiddenCount));
        double r2 = Math.Sqrt(6.0 / (network.HiddenCount + network.OutputCount));
        for (int i = 0; i < network.W1.Length; i++)
        {
            network.W1[i] = r1 * (2.0 * rng.NextDouble() - 1.0);
        }

        for (int i = 0; i < network.W2.Length; i++)
        {
            network.W2[i] = r2 * (2.0 * rng.NextDouble() - 1.0);
        }

        return network;
    }

    /// <summary>A copy of an existing network's shape and parameters: nothing to validate or size-check again.</summary>
    private Network(Network source)
    {
        OutputHead = source.OutputHead;
        W1 = (double[])source.W1.Clone();
        B1 = (double[])source.B1.Clone();
        W2 = (double[])source.W2.Clone();
        B2 = (double[])source.B2.Clone();
    }

    /// <summary>A deep copy.</summary>
    public Network Clone() => new(this);

    /// <summary>
    /// The forward pass of P1 for one sample of a one-output network: fills z1 and a1 (H values each) and returns z2.
    /// a2 is <see cref="Activations.Output"/>(Head, z2).
    /// </summary>
    public double Forward(ReadOnlySpan<double> x, Span<double> z1, Span<double> a1)
    {
        CheckSingleOutput();
        Span<double> z2 = stackalloc double[1];
        Forward(x, z1, a1, z2);
        return z2[0];
    }

    /// <summary>
    /// The forward pass for one sample, any head: fills z1 and a1 (H values each) and the K logits z2 (M1).
    /// a2 is σ(z2) or z2 for one output, <see cref="Activations.Softmax"/>(z2) for multiclass.
    /// </summary>
    public void Forward(ReadOnlySpan<double> x, Span<double> z1, Span<double> a1, Span<double> z2)
    {
        CheckInput(x.Length, nameof(x));
        Affine(W1, B1, x, z1);                        // z1 = w1 · x + b1
        for (int h = 0; h < HiddenCount; h++)
        {
            a1[h] = Activations.Sigmoid(z1[h]);       // a1 = σ(z1)
        }

        Affine(W2, B2, a1, z2);                       // z2 = w2 · a1 + b2
    }

    /// <summary>z = w · v + b: row i of <paramref name="w"/> (row-major, v.Length columns) dotted with v, plus b[i].</summary>
    private static void Affine(ReadOnlySpan<double> w, ReadOnlySpan<double> b, ReadOnlySpan<double> v, Span<double> z)
    {
        int n = v.Length;
        for (int i = 0; i < b.Length; i++)
        {
            ReadOnlySpan<double> row = w.Slice(i * n, n);
            double sum = b[i];
            for (int j = 0; j < n; j++)
            {
                sum += row[j] * v[j];
            }

            z[i] = sum;
        }
    }

    /// <summary>
    /// The logit z2 for one row of a one-output network (the Score of a binary model, the prediction of a regression
    /// model). Allocation-free. For multiclass use <see cref="PredictLogits(ReadOnlySpan{float}, Span{double})"/>.
    /// </summary>
    public double PredictLogit(ReadOnlySpan<double> x)
    {
        CheckSingleOutput();
        return Logit(x);
    }

    /// <inheritdoc cref="PredictLogit(ReadOnlySpan{double})"/>
    public double PredictLogit(ReadOnlySpan<float> x)
    {
        CheckSingleOutput();
        return Logit(x);
    }

    /// <summary>
    /// The output a2 for one row of a one-output network: the predicted value (regression) or the probability of the
    /// positive class (binary). Allocation-free. For multiclass use <see cref="PredictProbabilities"/> or <see cref="PredictClass"/>.
    /// </summary>
    public double Predict(ReadOnlySpan<double> x)
    {
        CheckSingleOutput();
        return ((OneOutputHead)OutputHead).Output(Logit(x));
    }

    /// <inheritdoc cref="Predict(ReadOnlySpan{double})"/>
    public double Predict(ReadOnlySpan<float> x)
    {
        CheckSingleOutput();
        return ((OneOutputHead)OutputHead).Output(Logit(x));
    }

    /// <summary>The K logits z2 of one row (any head; K = 1 gives the one logit), in double. Allocation-free up to D, H = 1024.</summary>
    public void PredictLogits(ReadOnlySpan<float> x, Span<double> z2)
    {
        CheckInput(x.Length, nameof(x));
        CheckOutputs(z2.Length, nameof(z2));
        Span<double> xd = InputCount <= 1024 ? stackalloc double[InputCount] : new double[InputCount];
        Span<double> z1 = HiddenCount <= 1024 ? stackalloc double[HiddenCount] : new double[HiddenCount];
        Span<double> a1 = HiddenCount <= 1024 ? stackalloc double[HiddenCount] : new double[HiddenCount];
        for (int j = 0; j < xd.Length; j++)
        {
            xd[j] = x[j];
        }

        Forward(xd, z1, a1, z2);
    }

    /// <summary>
    /// Multiclass: the K class probabilities a2 = softmax(z2) of one row (M1), in double; they sum to 1.
    /// </summary>
    public void PredictProbabilities(ReadOnlySpan<float> x, Span<double> a2)
    {
        if (!OutputHead.HasClasses)
        {
            throw new InvalidOperationException($"PredictProbabilities is for the multiclass head; this network's head is {Head}: use Predict.");
        }

        PredictLogits(x, a2);
        Span<double> z2 = OutputCount <= 1024 ? stackalloc double[OutputCount] : new double[OutputCount];
        a2.CopyTo(z2);
        OutputHead.Output(z2, a2);
    }

    /// <summary>
    /// Multiclass: the predicted class of one row, the index 0 … K − 1 of the largest logit (the first on a tie), or −1 when
    /// no logit is a number (a NaN feature makes every logit NaN): no class, never class 0 by default.
    /// </summary>
    public int PredictClass(ReadOnlySpan<float> x)
    {
        if (!OutputHead.HasClasses)
        {
            throw new InvalidOperationException($"PredictClass is for the multiclass head; this network's head is {Head}: use Predict.");
        }

        Span<double> z2 = OutputCount <= 1024 ? stackalloc double[OutputCount] : new double[OutputCount];
        PredictLogits(x, z2);
        return SoftmaxHead.PredictedClass<double>(z2);
    }

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

    /// <summary>True if every parameter is a finite number.</summary>
    public bool IsFinite() =>
        AllFinite(B2) && AllFinite(W1) && AllFinite(B1) && AllFinite(W2);

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
        double z2 = B2[0];
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

    private void CheckSingleOutput()
    {
        if (OutputCount != 1)
        {
            throw new InvalidOperationException(
                $"This network has K = {OutputCount} outputs (multiclass); use PredictLogits, PredictProbabilities or PredictClass, or Forward with a z2 span.");
        }
    }

    private void CheckOutputs(int length, string paramName)
    {
        if (length != OutputCount)
        {
            throw new ArgumentException($"{paramName} has room for {length} values; the network has K = {OutputCount} outputs.", paramName);
        }
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

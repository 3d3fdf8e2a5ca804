using System.Runtime.Intrinsics;

namespace TinyNet.Tests;

/// <summary>
/// The fast engine's kernels at every vector width: each against the double reference on any machine, and the
/// width the runtime picks checked against what CI asked for.
/// </summary>
public class KernelsTests
{
    public static TheoryData<string> Widths => [.. Kernels.All.Select(k => k.Width)];

    /// <summary>
    /// .ci/run runs the engine tests again with DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0,
    /// setting TINYNET_EXPECTED_WIDTH to the width each must give: a misspelt switch (.NET 10 ignores DOTNET_EnableAVX512F,
    /// for one) fails here instead of silently testing the same width twice.
    /// </summary>
    [Fact]
    public void The_engine_runs_the_widest_accelerated_width_or_the_one_CI_asked_for()
    {
        string widest = Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" :
            Vector128.IsHardwareAccelerated ? "Vector128" : "Scalar";
        string expected = Environment.GetEnvironmentVariable("TINYNET_EXPECTED_WIDTH") is { Length: > 0 } asked ? asked : widest;
        DataSet data = TestData.Teacher(8, 3, Head.Regression, seed: 1);
        using var engine = new FastEngine(Network.CreateRandom(3, 5, Head.Regression, 1), data, new TrainerOptions());
        Assert.Equal(expected, engine.Width);
        Assert.Equal(widest, Kernels.Best.Width);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_gives_the_reference_gradient(string width)
    {
        Kernels kernels = Kernels.All.Single(k => k.Width == width);
        foreach ((Head head, int d, int h, int n, bool weights) in new[]
                 {
                     (Head.Regression, 1, 1, 3, false), (Head.BinaryClassification, 7, 5, 33, true),
                     (Head.Regression, 10, 70, 64, false), (Head.BinaryClassification, 33, 130, 300, true),
                 })
        {
            DataSet data = TestData.Teacher(n, d, head, seed: d + h, weights);
            Network network = Network.CreateRandom(d, h, head, seed: 3);
            using var engine = new FastEngine(network, data, new TrainerOptions { BatchSize = n, Threads = 1, L2Regularization = 0.01 }, kernels);
            Network rounded = network.Clone();
            engine.CopyTo(rounded);
            double loss = engine.ComputeGradient(Enumerable.Range(0, n).ToArray());
            Gradients fast = engine.ExportGradient();
            var reference = new Gradients(d, h);
            Backprop.Objective(rounded, TestData.ToDouble(data.Features.Span), TestData.ToDouble(data.Labels.Span),
                data.Weights is { } s ? TestData.ToDouble(s.Span) : [], 0.01, reference, out double referenceLoss);
            Assert.Equal(referenceLoss, loss, referenceLoss * 1e-5 + 1e-9);
            foreach ((double[] r, double[] f, string name) in new[] { (reference.W1, fast.W1, "w1"), (reference.B1, fast.B1, "b1"), (reference.W2, fast.W2, "w2"), ([reference.B2[0]], [fast.B2[0]], "b2") })
            {
                double scale = Math.Max(r.Max(Math.Abs), 1e-3);
                for (int i = 0; i < r.Length; i++)
                {
                    Assert.True(Math.Abs(r[i] - f[i]) <= 1e-4 * scale, $"{width} {head} D={d} H={h}: {name}[{i}] reference {r[i]:R}, fast {f[i]:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_trains_the_same_model_as_the_reference_with_Adam(string width)
    {
        Kernels kernels = Kernels.All.Single(k => k.Width == width);
        DataSet data = TestData.Teacher(96, 4, Head.BinaryClassification, seed: 5);
        Network start = Network.CreateRandom(4, 20, Head.BinaryClassification, seed: 2);
        var options = new TrainerOptions { Head = Head.BinaryClassification, BatchSize = 96, Threads = 1, LearningRate = 0.01 };
        using var engine = new FastEngine(start, data, options, kernels);
        int[] rows = [.. Enumerable.Range(0, 96)];
        for (int i = 0; i < 20; i++)
        {
            engine.Step(rows, 0.01);
        }

        Network fast = start.Clone();
        engine.CopyTo(fast);
        options.Engine = Engine.Reference;
        options.Epochs = 20;
        options.Shuffle = false;
        Network reference = Trainer.Train(start, data, options).Network;
        for (int i = 0; i < reference.W1.Length; i++)
        {
            Assert.Equal(reference.W1[i], fast.W1[i], 2e-3);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_has_an_accurate_sigmoid_that_is_never_NaN(string width)
    {
        Kernels kernels = Kernels.All.Single(k => k.Width == width);
        var z = new float[16 * 64];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = -120f + 240f * i / (z.Length - 1);
        }

        z[0] = float.MinValue;
        z[1] = float.MaxValue;
        var a = (float[])z.Clone();
        kernels.Sigmoid(a);
        for (int i = 0; i < z.Length; i++)
        {
            double exact = Activations.Sigmoid(z[i]);
            Assert.False(float.IsNaN(a[i]), $"{width}: σ({z[i]}) is NaN");
            Assert.True(Math.Abs(a[i] - exact) <= 5e-7 * exact || exact < 1e-37, $"{width}: σ({z[i]}) = {a[i]:R}, exact {exact:R}");
        }
    }

    /// <summary>The softmax's exponentials (the multiclass head takes e^(z − max z), so z ≤ 0): accurate, never NaN or ∞.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void Every_width_has_an_accurate_exp_that_is_never_NaN_or_infinite(string width)
    {
        Kernels kernels = Kernels.All.Single(k => k.Width == width);
        var z = new float[16 * 64];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = -100f + 110f * i / (z.Length - 1);      // −100 … 10
        }

        z[0] = float.MinValue;
        z[1] = -1000f;
        z[2] = 0f;
        var e = (float[])z.Clone();
        kernels.Exp(e);
        Assert.Equal(1f, e[2]);
        for (int i = 0; i < z.Length; i++)
        {
            double exact = Math.Exp(z[i]);
            Assert.True(float.IsFinite(e[i]) && e[i] > 0, $"{width}: exp({z[i]}) = {e[i]}");
            Assert.True(Math.Abs(e[i] - exact) <= 5e-7 * exact || exact < 1e-37, $"{width}: exp({z[i]}) = {e[i]:R}, exact {exact:R}");
        }
    }
}

/// <summary>The reduction and the update split over the threads give the same bits as one thread doing them.</summary>
public class ParallelUpdateTests
{
    [Theory]
    [InlineData(Optimizer.Sgd)]
    [InlineData(Optimizer.Momentum)]
    [InlineData(Optimizer.Adam)]
    public void Splitting_the_reduction_and_update_over_threads_changes_no_bit(Optimizer optimizer)
    {
        if (Environment.ProcessorCount < 2)
        {
            return;   // one core: the engine never starts a second thread, so there is nothing to split
        }

        DataSet data = TestData.Teacher(512, 61, Head.BinaryClassification, seed: 4, weights: true);
        Network start = Network.CreateRandom(61, 70, Head.BinaryClassification, seed: 9);
        var options = new TrainerOptions { Head = Head.BinaryClassification, Optimizer = optimizer, BatchSize = 256, Threads = 2, L2Regularization = 0.01, LearningRate = 0.01 };
        Network Train(long minimum)
        {
            using var engine = new FastEngine(start, data, options) { ParallelReduceMinimum = minimum };
            int[] rows = [.. Enumerable.Range(0, 512).Reverse()];
            for (int i = 0; i < 10; i++)
            {
                engine.Step(rows.AsSpan(i % 2 * 256, 256), 0.01);
            }

            Assert.Equal(minimum == 0 ? 2 : 1, engine.ReduceSlices);       // the split really happened (or not)

            Network result = start.Clone();
            engine.CopyTo(result);
            return result;
        }

        Network split = Train(minimum: 0), single = Train(minimum: long.MaxValue);
        Assert.Equal(single.W1, split.W1);
        Assert.Equal(single.B1, split.B1);
        Assert.Equal(single.W2, split.W2);
        Assert.Equal(single.B2[0], split.B2[0]);
    }
}

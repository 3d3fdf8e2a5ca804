using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TinyNet;
using TinyNet.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;

// The TorchSharp peer: the same teacher data as TinyNet's user-path timing, trained as a TorchSharp user would —
// nn.Linear, nn.Sigmoid, nn.Linear, BCEWithLogitsLoss, optim.SGD, a randperm per epoch.
// Usage: TorchSharpPeer D H B threads epochs repeats. Prints "torchsharp threads=T D=.. H=.. B=..: median S s/epoch".
// Multiclass: TorchSharpPeer multiclass D H K B threads epochs repeats — nn.Linear(H, K) and CrossEntropyLoss
// (log-softmax + negative log-likelihood) on the same teacher rows cut into K classes.
NativeFix.LoadShim();
bool multiclass = args[0] == "multiclass";
int[] a = [.. args.Skip(multiclass ? 1 : 0).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
(int d, int h) = (a[0], a[1]);
int k = multiclass ? a[2] : 1;
(int batch, int threads, int epochs, int repeats) = multiclass ? (a[3], a[4], a[5], a[6]) : (a[2], a[3], a[4], a[5]);
torch.set_num_threads(threads);
torch.manual_seed(2);

Tensor x, y;
Loss<Tensor, Tensor, Tensor> loss;
if (multiclass)
{
    (float[] xs, float[] ys) = TeacherData.GenerateClasses(TeacherData.N, d, k, seed: 1);
    x = torch.tensor(xs, [TeacherData.N, d]);
    y = torch.tensor(ys.Select(v => (long)v).ToArray(), [TeacherData.N]);
    loss = nn.CrossEntropyLoss();
}
else
{
    (float[] xs, float[] ys) = TeacherData.Generate(TeacherData.N, d, Head.BinaryClassification, seed: 1);
    x = torch.tensor(xs, [TeacherData.N, d]);
    y = torch.tensor(ys, [TeacherData.N, 1]);
    loss = nn.BCEWithLogitsLoss();
}

var model = nn.Sequential(("hidden", nn.Linear(d, h)), ("sigmoid", nn.Sigmoid()), ("output", nn.Linear(h, k)));
var optimizer = optim.SGD(model.parameters(), learningRate: 1e-3);

void Epoch()
{
    using var scope = torch.NewDisposeScope();
    Tensor order = torch.randperm(TeacherData.N);
    for (long start = 0; start < TeacherData.N; start += batch)
    {
        using var step = torch.NewDisposeScope();
        Tensor rows = order.narrow(0, start, Math.Min(batch, TeacherData.N - start));
        optimizer.zero_grad();
        Tensor l = loss.forward(model.forward(x.index_select(0, rows)), y.index_select(0, rows));
        l.backward();
        optimizer.step();
    }
}

Epoch();                                                   // warm-up
var perEpoch = new List<double>();
for (int r = 0; r < repeats; r++)
{
    var stopwatch = Stopwatch.StartNew();
    for (int e = 0; e < epochs; e++)
    {
        Epoch();
    }

    perEpoch.Add(stopwatch.Elapsed.TotalSeconds / epochs);
}

perEpoch.Sort();
double median = perEpoch[perEpoch.Count / 2];
if (multiclass)
{
    // The loss on every row after training, outside the timing (a per-step item() would add a host sync to each step).
    double trained;
    using (torch.no_grad())
    {
        trained = loss.forward(model.forward(x), y).item<float>();
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"torchsharp threads={threads} D={d} H={h} K={k} B={batch}: median {median:F4} s/epoch, min {perEpoch[0]:F4}, loss after {1 + repeats * epochs} epochs {trained:F4}"));
}
else
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"torchsharp threads={threads} D={d} H={h} B={batch}: median {median:F4} s/epoch, min {perEpoch[0]:F4}, {4.0 * TeacherData.N * d * h / median / 1e9:F1} GFLOP/s"));
}

/// <summary>Loads the GLIBCXX_3.4.32 shim (built next to the program by native-fix) before TorchSharp's native library.</summary>
internal static class NativeFix
{
    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen(string path, int flags);

    public static void LoadShim()
    {
        string shim = Path.Combine(AppContext.BaseDirectory, "libglibcxx_shim.so");
        if (File.Exists(shim) && DlOpen(shim, 0x2 | 0x100) == IntPtr.Zero)
        {
            throw new InvalidOperationException($"could not load {shim}");
        }
    }
}

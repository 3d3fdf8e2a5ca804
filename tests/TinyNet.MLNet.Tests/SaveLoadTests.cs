using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet.Tests;

/// <summary>mlContext.Model.Save then Load, in a fresh MLContext and in a fresh process, of a whole pipeline.</summary>
public sealed class SaveLoadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tinynet-").FullName;

    [Theory]
    [InlineData(Head.BinaryClassification)]
    [InlineData(Head.Regression)]
    public void A_saved_pipeline_loads_in_a_fresh_MLContext_with_bit_identical_scores(Head head)
    {
        (string path, float[] expected, _) = SavePipeline(head);
        var fresh = new MLContext(seed: 123);
        fresh.ComponentCatalog.RegisterTinyNet();
        ITransformer loaded = fresh.Model.Load(path, out DataViewSchema schema);
        IDataView data = head == Head.Regression ? RealData.Concrete(fresh) : RealData.BreastCancer(fresh);
        float[] actual = [.. loaded.Transform(data).GetColumn<float>("Score")];
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(data.Schema.Count, schema.Count);

        var tinyNet = ((TransformerChain<ITransformer>)loaded).LastTransformer as TinyNetPredictionTransformer;
        Assert.NotNull(tinyNet);
        Assert.Equal(head, tinyNet.Model.Head);
        Assert.NotNull(tinyNet.Model.History);
    }

    /// <summary>
    /// A new process that only references TinyNet.MLNet loads the model with no registration call (ML.NET registers the
    /// assembly named in the model header, which carries the loader attribute), and with the documented call too.
    /// </summary>
    [Theory]
    [InlineData("--no-register")]
    [InlineData("--register")]
    public void A_saved_pipeline_loads_in_a_fresh_process_with_bit_identical_scores(string registration)
    {
        (string path, float[] expected, _) = SavePipeline(Head.BinaryClassification);
        (int exit, string stdout, string stderr) = RunProbe(path, RealData.PathOf("breast_cancer.csv"), registration);
        Assert.True(exit == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(expected.Select(e => BitConverter.SingleToInt32Bits(e).ToString("X8")), lines);
    }

    [Fact]
    public void A_fresh_MLContext_loads_without_registration()
    {
        (string path, float[] expected, _) = SavePipeline(Head.Regression);
        var fresh = new MLContext(seed: 5);
        ITransformer loaded = fresh.Model.Load(path, out _);
        float[] actual = [.. loaded.Transform(RealData.Concrete(fresh)).GetColumn<float>("Score")];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Registering_twice_is_harmless_loading_still_gives_bit_identical_scores()
    {
        (string path, float[] expected, _) = SavePipeline(Head.Regression);
        var ml = new MLContext(seed: 9);
        ml.ComponentCatalog.RegisterTinyNet();
        ml.ComponentCatalog.RegisterTinyNet();
        _ = ml.Regression.Trainers.TinyNet();   // registers a third time
        ITransformer loaded = ml.Model.Load(path, out _);
        float[] actual = [.. loaded.Transform(RealData.Concrete(ml)).GetColumn<float>("Score")];
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_corrupted_payload_gives_a_clear_error()
    {
        (string path, _, _) = SavePipeline(Head.Regression);
        EditTinyNetEntry(path, bytes => bytes[IndexOfMagic(bytes) + 12 + 20] ^= 0x5A);   // a byte of w1, inside the checksummed payload
        var ml = new MLContext();
        ml.ComponentCatalog.RegisterTinyNet();
        Exception e = Assert.ThrowsAny<Exception>(() => ml.Model.Load(path, out _));
        Assert.Contains("corrupted: its checksum does not match", Flatten(e));
    }

    [Fact]
    public void A_truncated_payload_gives_a_clear_error()
    {
        (string path, _, _) = SavePipeline(Head.Regression);
        // A payload that claims more bytes than the stream holds, as a cut-off file does.
        EditTinyNetEntry(path, bytes => BitConverter.TryWriteBytes(bytes.AsSpan(IndexOfMagic(bytes) + 8), 1 << 20));
        var ml = new MLContext();
        ml.ComponentCatalog.RegisterTinyNet();
        Exception e = Assert.ThrowsAny<Exception>(() => ml.Model.Load(path, out _));
        Assert.Contains("truncated", Flatten(e));
    }

    [Fact]
    public void A_model_from_a_newer_TinyNet_says_so()
    {
        (string path, _, _) = SavePipeline(Head.Regression);
        EditTinyNetEntry(path, bytes =>
        {
            int at = IndexOfMagic(bytes);
            BitConverter.TryWriteBytes(bytes.AsSpan(at + 4), 99);   // the payload format version
        });
        var ml = new MLContext();
        ml.ComponentCatalog.RegisterTinyNet();
        Exception e = Assert.ThrowsAny<Exception>(() => ml.Model.Load(path, out _));
        Assert.Contains("written by a newer TinyNet (payload format 99)", Flatten(e));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (string Path, float[] Scores, ITransformer Model) SavePipeline(Head head)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = head == Head.Regression ? RealData.Concrete(ml) : RealData.BreastCancer(ml);
        IEstimator<ITransformer> pipeline = head == Head.Regression
            ? RealData.ConcreteFeaturizer(ml, data).Append(ml.Regression.Trainers.TinyNet(numberOfIterations: 20))
            : RealData.BreastCancerFeaturizer(ml, data).Append(ml.BinaryClassification.Trainers.TinyNet(numberOfIterations: 20));
        ITransformer model = pipeline.Fit(data);
        string path = Path.Combine(_folder, $"{head}-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, data.Schema, path);
        return (path, [.. model.Transform(data).GetColumn<float>("Score")], model);
    }

    internal static (int Exit, string Stdout, string Stderr) RunProbe(params string[] args) => TinyNet.Tests.Shared.ModelLoadProbeProcess.Run(args);

    /// <summary>Rewrites the zip entry holding the TinyNet payload (found by its "TNET" marker).</summary>
    internal static void EditTinyNetEntry(string path, Action<byte[]> edit)
    {
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update);
        foreach (ZipArchiveEntry entry in zip.Entries.ToList())
        {
            byte[] bytes;
            using (Stream s = entry.Open())
            using (var copy = new MemoryStream())
            {
                s.CopyTo(copy);
                bytes = copy.ToArray();
            }

            if (IndexOfMagic(bytes) < 0)
            {
                continue;
            }

            edit(bytes);

            string name = entry.FullName;
            entry.Delete();
            using Stream target = zip.CreateEntry(name).Open();
            target.Write(bytes);
            return;
        }

        Assert.Fail("no TinyNet payload found in the model file");
    }

    internal static int IndexOfMagic(byte[] bytes) => bytes.AsSpan().IndexOf("TNET"u8);   // 0x54454E54, little-endian

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.Benchmarks;

internal static partial class TeacherData
{
    /// <summary>The binary teacher data as an ML.NET view with Label (Boolean) and Features (Vector&lt;Single, 100&gt;).</summary>
    public static IDataView View(MLContext ml, int n, int seed)
    {
        (float[] x, float[] y) = Generate(n, Row.Dimension, Head.BinaryClassification, seed);
        var rows = new Row[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new Row { Label = y[i] == 1f, Features = x.AsSpan(i * Row.Dimension, Row.Dimension).ToArray() };
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    public sealed class Row
    {
        public const int Dimension = 100;

        public bool Label { get; set; }

        [VectorType(Dimension)]
        public float[] Features { get; set; } = [];
    }
}

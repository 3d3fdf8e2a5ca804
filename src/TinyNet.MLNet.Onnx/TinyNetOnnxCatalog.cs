using TinyNet.MLNet.Onnx;

// In ML.NET's namespace, beside ML.NET's own ConvertToOnnx: `using Microsoft.ML;` finds it.
namespace Microsoft.ML;

/// <summary>ONNX export of pipelines that end in TinyNet.</summary>
public static class TinyNetOnnxCatalog
{
    /// <summary>
    /// Writes <paramref name="model"/> (a pipeline ending in a TinyNet model, or a TinyNet model alone) to
    /// <paramref name="stream"/> as one ONNX model: the steps before TinyNet through ML.NET's own converter, TinyNet's
    /// network appended. The ONNX model takes the pipeline's raw input columns (those of <paramref name="inputData"/>) and
    /// returns <c>Score</c>, and for binary classification <c>Probability</c> and <c>PredictedLabel</c> (Boolean), for
    /// multiclass <c>Score</c> as the K class probabilities and <c>PredictedLabel</c> as the key 1 … K (uint32), named and
    /// meaning as ML.NET's columns. Use this, not <c>mlContext.Model.ConvertToOnnx</c>: ML.NET's converter cannot see inside
    /// third-party transformers and writes a graph without the network for any pipeline ending in TinyNet.
    /// </summary>
    /// <param name="catalog">The MLContext's model operations.</param>
    /// <param name="model">The trained pipeline.</param>
    /// <param name="inputData">Data with the pipeline's input schema (its rows are not read).</param>
    /// <param name="stream">Where the .onnx bytes go.</param>
    /// <exception cref="ArgumentException">The last step is not TinyNet, or (TinyNet alone) the input lacks its feature column.</exception>
    /// <exception cref="NotSupportedException">A step before TinyNet cannot be exported by ML.NET's converter; the message names it.</exception>
    public static void ConvertToOnnxWithTinyNet(this ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream) =>
        TinyNetOnnxExporter.Export(catalog, model, inputData, stream);
}

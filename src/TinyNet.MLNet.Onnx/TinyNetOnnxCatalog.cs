using TinyNet.MLNet.Onnx;

// In ML.NET's namespace, beside ML.NET's own ConvertToOnnx: `using Microsoft.ML;` finds it.
namespace Microsoft.ML;

/// <summary>ONNX export of pipelines that end in TinyNet.</summary>
public static class TinyNetOnnxCatalog
{
    /// <summary>
    /// Writes <paramref name="model"/> (a pipeline ending in a TinyNet model, optionally followed by MapKeyToValue of its
    /// PredictedLabel, or a TinyNet model alone) to <paramref name="stream"/> as one ONNX model: the steps before TinyNet
    /// through ML.NET's own converter, TinyNet's network appended. The model's inputs are the raw input columns scoring
    /// reads (not the label); its outputs are the scoring columns, named and meaning as ML.NET's: <c>Score</c>, and for
    /// binary classification <c>Probability</c> and <c>PredictedLabel</c> (Boolean), for multiclass <c>Score</c> as the K
    /// class probabilities and <c>PredictedLabel</c> as the key 1 … K (uint32), plus each MapKeyToValue column with the
    /// class values in their own type. Use this, not <c>mlContext.Model.ConvertToOnnx</c>: ML.NET's converter cannot see
    /// inside third-party transformers and writes a graph without the network for any pipeline ending in TinyNet.
    /// </summary>
    /// <param name="catalog">The MLContext's model operations.</param>
    /// <param name="model">The trained pipeline.</param>
    /// <param name="inputData">Data with the pipeline's input schema (its rows are not read).</param>
    /// <param name="stream">Where the .onnx bytes go.</param>
    /// <exception cref="ArgumentException">The last step is not TinyNet (or MapKeyToValue after it), or (TinyNet alone) the input lacks its feature column.</exception>
    /// <exception cref="NotSupportedException">A step before TinyNet cannot be exported by ML.NET's converter; the message names it.</exception>
    public static void ConvertToOnnxWithTinyNet(this ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream) =>
        TinyNetOnnxExporter.Export(catalog, model, inputData, stream, keepIntermediateOutputs: false);

    /// <summary>
    /// As <see cref="ConvertToOnnxWithTinyNet(ModelOperationsCatalog, ITransformer, IDataView, Stream)"/>; with
    /// <paramref name="keepIntermediateOutputs"/> true the model also keeps what ML.NET's converter writes besides: every
    /// input column (the label too), each step's <c>&lt;column&gt;.output</c> and its side graphs.
    /// </summary>
    /// <param name="catalog">The MLContext's model operations.</param>
    /// <param name="model">The trained pipeline.</param>
    /// <param name="inputData">Data with the pipeline's input schema (its rows are not read).</param>
    /// <param name="stream">Where the .onnx bytes go.</param>
    /// <param name="keepIntermediateOutputs">Keep ML.NET's intermediate outputs and inputs (default false: scoring only).</param>
    public static void ConvertToOnnxWithTinyNet(this ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream, bool keepIntermediateOutputs) =>
        TinyNetOnnxExporter.Export(catalog, model, inputData, stream, keepIntermediateOutputs);
}

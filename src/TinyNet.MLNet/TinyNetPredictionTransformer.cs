using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>
/// A trained TinyNet in an ML.NET pipeline. Adds the columns of ML.NET's built-in trainers: binary classification →
/// Score (Single, the logit z2), Probability (Single, a2 = σ(z2)), PredictedLabel (Boolean, a2 ≥ 0.5); regression → Score;
/// multiclass → Score (vector of the K class probabilities a2 = softmax(z2), slots named by the classes) and PredictedLabel
/// (key over the K classes, the most probable, carrying the training label's key values for MapKeyToValue).
/// Saved with <c>mlContext.Model.Save</c>; loaded with <c>mlContext.Model.Load</c>, in any process, with no registration
/// call (ML.NET finds TinyNet's loader through the model file's header).
/// </summary>
public sealed partial class TinyNetPredictionTransformer : ISingleFeaturePredictionTransformer<TinyNetModelParameters>, ICanSaveModel
{
    internal const string LoaderSignature = "TinyNetPredictor";
    internal TinyNetPredictionTransformer(TinyNetModelParameters model, string featureColumnName, VectorDataViewType featureType)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = featureType;
    }

    /// <summary>The trained network and its history.</summary>
    public TinyNetModelParameters Model { get; }

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Its type: a vector of D Singles.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>True: TinyNet scores each row on its own, so it works in a PredictionEngine.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the score columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return ScoreColumns.Add(inputSchema, TinyNetTask.For(Model.Head), Model.Classes);
    }

    /// <summary>Scores <paramref name="input"/> lazily, row by row, as its cursors move.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>The row mapper a PredictionEngine uses.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema, GetOutputSchema(inputSchema));

    private void CheckInput(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        DataViewSchema.Column column = inputSchema.GetColumnOrNull(FeatureColumnName) ?? throw new ArgumentOutOfRangeException(nameof(inputSchema),
            $"The feature column '{FeatureColumnName}' is not in the input data.");
        if (column.Type is not VectorDataViewType { ItemType: var item, Size: var size } || item != NumberDataViewType.Single || size != Model.InputCount)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Schema mismatch for feature column '{FeatureColumnName}': expected Vector<Single, {Model.InputCount}>, got {column.Type}.");
        }
    }
}

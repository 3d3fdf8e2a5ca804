// The shortest complete TinyNet pipeline: load a CSV, featurise, train, evaluate, save, load, predict one row.
//   dotnet run --project examples/Quickstart
using Microsoft.ML;
using Microsoft.ML.Data;

var ml = new MLContext(seed: 0);
IDataView data = ml.Data.LoadFromTextFile<CancerRow>(Path.Combine(AppContext.BaseDirectory, "breast_cancer.csv"), separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 0);

var pipeline = ml.Transforms.Conversion.MapValue("Label",
        new[] { new KeyValuePair<string, bool>("malignant", true), new("benign", false) }, "diagnosis")
    .Append(ml.Transforms.Concatenate("Features", CancerRow.FeatureNames))
    .Append(ml.Transforms.NormalizeMeanVariance("Features"))           // normalise, as for SDCA or L-BFGS
    .Append(ml.BinaryClassification.Trainers.TinyNet());               // or ml.Regression.Trainers.TinyNet()

ITransformer model = pipeline.Fit(split.TrainSet);
var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"AUC {metrics.AreaUnderRocCurve:F4}, accuracy {metrics.Accuracy:P1}");

ml.Model.Save(model, data.Schema, "model.zip");
ITransformer loaded = new MLContext().Model.Load("model.zip", out _);  // no registration call needed
var engine = ml.Model.CreatePredictionEngine<CancerRow, CancerPrediction>(loaded);
CancerRow someRow = ml.Data.CreateEnumerable<CancerRow>(split.TestSet, reuseRowObject: false).First();
CancerPrediction p = engine.Predict(someRow);                          // Score (logit), Probability, PredictedLabel
Console.WriteLine($"First test row ({someRow.Diagnosis}): P(malignant) = {p.Probability:F3}, predicted {(p.PredictedLabel ? "malignant" : "benign")}");

/// <summary>A row of breast_cancer.csv.</summary>
public sealed class CancerRow
{
    [LoadColumn(0), ColumnName("mean_radius")] public float MeanRadius { get; set; }
    [LoadColumn(1), ColumnName("mean_texture")] public float MeanTexture { get; set; }
    [LoadColumn(2), ColumnName("mean_perimeter")] public float MeanPerimeter { get; set; }
    [LoadColumn(3), ColumnName("mean_area")] public float MeanArea { get; set; }
    [LoadColumn(4), ColumnName("mean_smoothness")] public float MeanSmoothness { get; set; }
    [LoadColumn(5), ColumnName("mean_compactness")] public float MeanCompactness { get; set; }
    [LoadColumn(6), ColumnName("mean_concavity")] public float MeanConcavity { get; set; }
    [LoadColumn(7), ColumnName("mean_concave_points")] public float MeanConcavePoints { get; set; }
    [LoadColumn(8), ColumnName("mean_symmetry")] public float MeanSymmetry { get; set; }
    [LoadColumn(9), ColumnName("mean_fractal_dimension")] public float MeanFractalDimension { get; set; }
    [LoadColumn(10), ColumnName("radius_error")] public float RadiusError { get; set; }
    [LoadColumn(11), ColumnName("texture_error")] public float TextureError { get; set; }
    [LoadColumn(12), ColumnName("perimeter_error")] public float PerimeterError { get; set; }
    [LoadColumn(13), ColumnName("area_error")] public float AreaError { get; set; }
    [LoadColumn(14), ColumnName("smoothness_error")] public float SmoothnessError { get; set; }
    [LoadColumn(15), ColumnName("compactness_error")] public float CompactnessError { get; set; }
    [LoadColumn(16), ColumnName("concavity_error")] public float ConcavityError { get; set; }
    [LoadColumn(17), ColumnName("concave_points_error")] public float ConcavePointsError { get; set; }
    [LoadColumn(18), ColumnName("symmetry_error")] public float SymmetryError { get; set; }
    [LoadColumn(19), ColumnName("fractal_dimension_error")] public float FractalDimensionError { get; set; }
    [LoadColumn(20), ColumnName("worst_radius")] public float WorstRadius { get; set; }
    [LoadColumn(21), ColumnName("worst_texture")] public float WorstTexture { get; set; }
    [LoadColumn(22), ColumnName("worst_perimeter")] public float WorstPerimeter { get; set; }
    [LoadColumn(23), ColumnName("worst_area")] public float WorstArea { get; set; }
    [LoadColumn(24), ColumnName("worst_smoothness")] public float WorstSmoothness { get; set; }
    [LoadColumn(25), ColumnName("worst_compactness")] public float WorstCompactness { get; set; }
    [LoadColumn(26), ColumnName("worst_concavity")] public float WorstConcavity { get; set; }
    [LoadColumn(27), ColumnName("worst_concave_points")] public float WorstConcavePoints { get; set; }
    [LoadColumn(28), ColumnName("worst_symmetry")] public float WorstSymmetry { get; set; }
    [LoadColumn(29), ColumnName("worst_fractal_dimension")] public float WorstFractalDimension { get; set; }
    [LoadColumn(30), ColumnName("diagnosis")] public string Diagnosis { get; set; } = "";

    /// <summary>The 30 feature columns.</summary>
    public static readonly string[] FeatureNames = ["mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness", "mean_compactness", "mean_concavity", "mean_concave_points", "mean_symmetry", "mean_fractal_dimension", "radius_error", "texture_error", "perimeter_error", "area_error", "smoothness_error", "compactness_error", "concavity_error", "concave_points_error", "symmetry_error", "fractal_dimension_error", "worst_radius", "worst_texture", "worst_perimeter", "worst_area", "worst_smoothness", "worst_compactness", "worst_concavity", "worst_concave_points", "worst_symmetry", "worst_fractal_dimension"];
}

/// <summary>TinyNet's output columns.</summary>
public sealed class CancerPrediction
{
    public float Score { get; set; }

    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}

namespace TinyNet.MLNet.Tests;

/// <summary>A breast_cancer.csv row, for PredictionEngine.</summary>
public sealed class CancerRow
{
    [Microsoft.ML.Data.ColumnName("mean_radius")]
    public float MeanRadius { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_texture")]
    public float MeanTexture { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_perimeter")]
    public float MeanPerimeter { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_area")]
    public float MeanArea { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_smoothness")]
    public float MeanSmoothness { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_compactness")]
    public float MeanCompactness { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_concavity")]
    public float MeanConcavity { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_concave_points")]
    public float MeanConcavePoints { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_symmetry")]
    public float MeanSymmetry { get; set; }

    [Microsoft.ML.Data.ColumnName("mean_fractal_dimension")]
    public float MeanFractalDimension { get; set; }

    [Microsoft.ML.Data.ColumnName("radius_error")]
    public float RadiusError { get; set; }

    [Microsoft.ML.Data.ColumnName("texture_error")]
    public float TextureError { get; set; }

    [Microsoft.ML.Data.ColumnName("perimeter_error")]
    public float PerimeterError { get; set; }

    [Microsoft.ML.Data.ColumnName("area_error")]
    public float AreaError { get; set; }

    [Microsoft.ML.Data.ColumnName("smoothness_error")]
    public float SmoothnessError { get; set; }

    [Microsoft.ML.Data.ColumnName("compactness_error")]
    public float CompactnessError { get; set; }

    [Microsoft.ML.Data.ColumnName("concavity_error")]
    public float ConcavityError { get; set; }

    [Microsoft.ML.Data.ColumnName("concave_points_error")]
    public float ConcavePointsError { get; set; }

    [Microsoft.ML.Data.ColumnName("symmetry_error")]
    public float SymmetryError { get; set; }

    [Microsoft.ML.Data.ColumnName("fractal_dimension_error")]
    public float FractalDimensionError { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_radius")]
    public float WorstRadius { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_texture")]
    public float WorstTexture { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_perimeter")]
    public float WorstPerimeter { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_area")]
    public float WorstArea { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_smoothness")]
    public float WorstSmoothness { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_compactness")]
    public float WorstCompactness { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_concavity")]
    public float WorstConcavity { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_concave_points")]
    public float WorstConcavePoints { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_symmetry")]
    public float WorstSymmetry { get; set; }

    [Microsoft.ML.Data.ColumnName("worst_fractal_dimension")]
    public float WorstFractalDimension { get; set; }

    [Microsoft.ML.Data.ColumnName("diagnosis")]
    public string Diagnosis { get; set; } = "";
}

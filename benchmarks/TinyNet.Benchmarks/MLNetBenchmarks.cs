using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.ML;
using Microsoft.ML.Data;
using TinyNet.MLNet;

namespace TinyNet.Benchmarks;

/// <summary>The ML.NET binary trainers compared here, all with their defaults.</summary>
internal static class BinaryTrainers
{
    public const int TrainRows = 80_000;
    public const int TestRows = 20_000;

    public static IEstimator<ITransformer> Create(MLContext ml, string name) => name switch
    {
        "tinynet" => ml.BinaryClassification.Trainers.TinyNet(),
        "sdca" => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
        "lbfgs" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
        "fasttree" => ml.BinaryClassification.Trainers.FastTree(),
        "lightgbm" => ml.BinaryClassification.Trainers.LightGbm(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "tinynet, sdca, lbfgs, fasttree or lightgbm"),
    };

    /// <summary>Teacher data, D = 100: 80,000 training rows and 20,000 held-out rows, cached in memory.</summary>
    public static (IDataView Train, IDataView Test) Data(MLContext ml)
    {
        IDataView all = TeacherData.View(ml, TrainRows + TestRows, seed: 3);
        IDataView train = Materialize(ml.Data.Cache(ml.Data.TakeRows(all, TrainRows)));
        IDataView test = Materialize(ml.Data.Cache(ml.Data.SkipRows(all, TrainRows)));
        return (train, test);
    }

    /// <summary>Reads a cached view once, so that no Fit timed afterwards includes filling the cache.</summary>
    public static IDataView Materialize(IDataView view)
    {
        using DataViewRowCursor cursor = view.GetRowCursor(view.Schema);
        while (cursor.MoveNext())
        {
        }

        return view;
    }
}

/// <summary>
/// ML.NET end to end: Fit time of TinyNet and the built-in binary trainers on the same teacher data (D = 100, 80,000
/// rows), each with its defaults, with the held-out AUC measured once in the setup so speed reads next to quality.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MLNetFit
{
    private MLContext _ml = null!;
    private IDataView _train = null!;

    [Params("tinynet", "sdca", "lbfgs", "fasttree", "lightgbm")]
    public string Trainer { get; set; } = "tinynet";

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 0);
        (_train, IDataView test) = BinaryTrainers.Data(_ml);
        ITransformer model = BinaryTrainers.Create(_ml, Trainer).Fit(_train);
        double auc = _ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(test)).AreaUnderRocCurve;
        RecordedColumn.Record("AUC", Trainer, auc.ToString("F4", CultureInfo.InvariantCulture));
    }

    [Benchmark]
    public ITransformer Fit() => BinaryTrainers.Create(_ml, Trainer).Fit(_train);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new RecordedColumn("AUC", "held-out AUC (20,000 rows), measured once in the setup"));
    }
}

/// <summary>
/// Inference: PredictionEngine latency for one row, and Transform + a cursor over the Score column of 20,000 held-out
/// rows (rows/s), for TinyNet and the built-in trainers, each trained with its defaults on the 80,000 training rows.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MLNetInference
{
    private MLContext _ml = null!;
    private ITransformer _model = null!;
    private IDataView _test = null!;
    private PredictionEngine<TeacherData.Row, Prediction> _engine = null!;
    private TeacherData.Row _row = null!;

    [Params("tinynet", "sdca", "lbfgs", "fasttree", "lightgbm")]
    public string Trainer { get; set; } = "tinynet";

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 0);
        (IDataView train, _test) = BinaryTrainers.Data(_ml);
        _model = BinaryTrainers.Create(_ml, Trainer).Fit(train);
        _engine = _ml.Model.CreatePredictionEngine<TeacherData.Row, Prediction>(_model);
        _row = _ml.Data.CreateEnumerable<TeacherData.Row>(_test, reuseRowObject: false).First();
    }

    [Benchmark]
    public float PredictOne() => _engine.Predict(_row).Score;

    [Benchmark]
    public double TransformAll()
    {
        IDataView scored = _model.Transform(_test);
        DataViewSchema.Column score = scored.Schema["Score"];
        using DataViewRowCursor cursor = scored.GetRowCursor([score]);
        ValueGetter<float> get = cursor.GetGetter<float>(score);
        double sum = 0;
        float value = 0;
        while (cursor.MoveNext())
        {
            get(ref value);
            sum += value;
        }

        return sum;
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new RowsPerSecondColumn());
    }

    /// <summary>Rows per second of TransformAll (20,000 rows / mean time).</summary>
    private sealed class RowsPerSecondColumn : IColumn
    {
        public string Id => "RowsPerSecond";

        public string ColumnName => "rows/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "TransformAll: 20,000 rows / median time; PredictOne: 1 row / median time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? median = summary[benchmarkCase]?.ResultStatistics?.Median;
            if (median is not { } ns)
            {
                return "-";
            }

            double rows = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(TransformAll) ? BinaryTrainers.TestRows : 1;
            return (rows / (ns / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}

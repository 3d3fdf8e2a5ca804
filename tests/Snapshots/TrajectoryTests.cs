using Snapshooter;
using Snapshooter.Xunit;

namespace TinyNet.Snapshots;

/// <summary>
/// Snapshots of training trajectories of the double reference: any change to how TinyNet trains (update order,
/// initialisation, a refactored formula) shows up as a snapshot diff to review. Snapshots live in __snapshots__/.
/// </summary>
public class TrajectoryTests
{
    private static readonly DataSet ScalarRegression = DataSet.FromRowMajor([2f, -1f, 0.5f, 1.5f], 1, [1f, 0f, 0.5f, 0.8f]);
    private static readonly DataSet ScalarClassification = DataSet.FromRowMajor([2f, -1f, 0.5f, 1.5f], 1, [1f, 0f, 0f, 1f]);

    [Fact]
    public void Notes_scalar_network_regression_per_sample_rule() =>
        Snapshot.Match(Trajectory.Record("hand-made: x = [2, −1, 0.5, 1.5], y = [1, 0, 0.5, 0.8]", Scalar(Head.Regression), ScalarRegression, PerSample(Head.Regression)));

    [Fact]
    public void Notes_scalar_network_classification_per_sample_rule() =>
        Snapshot.Match(Trajectory.Record("hand-made: x = [2, −1, 0.5, 1.5], y = [1, 0, 0, 1]", Scalar(Head.BinaryClassification), ScalarClassification, PerSample(Head.BinaryClassification)));

    [Fact]
    public void Minibatch_sgd_diabetes() =>
        Snapshot.Match(Trajectory.Record("diabetes_subset.csv", null, RealData.Diabetes(),
            Options(Head.Regression, Optimizer.Sgd, learningRate: 0.05, batchSize: 16, hidden: 8, epochs: 25)));

    [Fact]
    public void Full_batch_gradient_descent_diabetes() =>
        Snapshot.Match(Trajectory.Record("diabetes_subset.csv", null, RealData.Diabetes(),
            Options(Head.Regression, Optimizer.Sgd, learningRate: 0.5, batchSize: 1000, hidden: 8, epochs: 25)));

    [Fact]
    public void Momentum_breast_cancer() =>
        Snapshot.Match(Trajectory.Record("breast_cancer_subset.csv", null, RealData.BreastCancer(),
            Options(Head.BinaryClassification, Optimizer.Momentum, learningRate: 0.01, batchSize: 16, hidden: 6, epochs: 15)));

    [Fact]
    public void Adam_breast_cancer() =>
        Snapshot.Match(Trajectory.Record("breast_cancer_subset.csv", null, RealData.BreastCancer(),
            Options(Head.BinaryClassification, Optimizer.Adam, learningRate: 0.01, batchSize: 16, hidden: 6, epochs: 15)));

    [Fact]
    public void Adam_with_L2_and_learning_rate_decay_breast_cancer()
    {
        TrainerOptions options = Options(Head.BinaryClassification, Optimizer.Adam, learningRate: 0.01, batchSize: 16, hidden: 6, epochs: 15);
        options.L2Regularization = 0.01;
        options.LearningRateDecay = 0.1;
        Snapshot.Match(Trajectory.Record("breast_cancer_subset.csv", null, RealData.BreastCancer(), options));
    }

    [Fact]
    public void Early_stopping_diabetes()
    {
        TrainerOptions options = Options(Head.Regression, Optimizer.Adam, learningRate: 0.05, batchSize: 8, hidden: 32, epochs: 300);
        options.EarlyStoppingPatience = 5;
        Trajectory t = Trajectory.Record("diabetes_subset.csv rows 0–79 (train), 80–110 (validation)", null,
            RealData.Diabetes(0, 80), options, RealData.Diabetes(80));
        Assert.True(t.StoppedEarly, "this configuration overfits and must stop early");
        Snapshot.Match(t);
    }

    [Fact]
    public void Sgd_softmax_wine() =>
        Snapshot.Match(Trajectory.Record("wine_subset.csv (3 classes)", null, RealData.Wine(),
            Options(Head.MulticlassClassification, Optimizer.Sgd, learningRate: 0.1, batchSize: 16, hidden: 5, epochs: 15)));

    [Fact]
    public void Adam_softmax_with_L2_wine()
    {
        TrainerOptions options = Options(Head.MulticlassClassification, Optimizer.Adam, learningRate: 0.01, batchSize: 16, hidden: 5, epochs: 15);
        options.L2Regularization = 0.01;
        Snapshot.Match(Trajectory.Record("wine_subset.csv (3 classes)", null, RealData.Wine(), options));
    }

    [Fact]
    public void Notes_scalar_network_softmax_three_classes_per_sample_rule()
    {
        var start = new Network(1, 1, Head.MulticlassClassification, classCount: 3);
        start.W1[0] = 0.5;
        start.W2[0] = 1.0;
        start.W2[1] = -1.0;
        Snapshot.Match(Trajectory.Record("hand-made: x = [2, −1, 0.5, 1.5], y = [2, 0, 1, 2]", start,
            DataSet.FromRowMajor([2f, -1f, 0.5f, 1.5f], 1, [2f, 0f, 1f, 2f]), PerSample(Head.MulticlassClassification)));
    }

    /// <summary>
    /// The fast float32 engine follows the reference trajectory: per-epoch losses within 1e-3 relative (float rounding
    /// compounds over ~100 Adam steps to about 1e-5; a formula or ordering change moves them by far more).
    /// </summary>
    [Theory]
    [InlineData(Optimizer.Adam, Head.BinaryClassification)]
    [InlineData(Optimizer.Sgd, Head.Regression)]
    [InlineData(Optimizer.Momentum, Head.Regression)]
    [InlineData(Optimizer.Adam, Head.MulticlassClassification)]
    [InlineData(Optimizer.Sgd, Head.MulticlassClassification)]
    public void Fast_engine_follows_the_reference_trajectory(Optimizer optimizer, Head head)
    {
        DataSet data = head switch { Head.Regression => RealData.Diabetes(), Head.BinaryClassification => RealData.BreastCancer(), _ => RealData.Wine() };
        TrainerOptions options = Options(head, optimizer, learningRate: optimizer == Optimizer.Sgd ? 0.05 : 0.01, batchSize: 16, hidden: 6, epochs: 15);
        TrainingHistory reference = Trainer.Train(data, options).History;
        options.Engine = Engine.Fast;
        options.Threads = 2;
        TrainingHistory fast = Trainer.Train(data, options).History;
        for (int e = 0; e < reference.EpochCount; e++)
        {
            Assert.Equal(reference.TrainingLoss[e], fast.TrainingLoss[e], reference.TrainingLoss[e] * 1e-3);
        }
    }

    /// <summary>The snapshots bite: the same trajectory with the learning rate changed by one part in a million no longer matches.</summary>
    [Fact]
    public void Snapshots_detect_a_one_in_a_million_change_of_the_learning_rate()
    {
        TrainerOptions options = PerSample(Head.Regression);
        options.LearningRate *= 1 + 1e-6;
        Trajectory changed = Trajectory.Record("hand-made: x = [2, −1, 0.5, 1.5], y = [1, 0, 0.5, 0.8]", Scalar(Head.Regression), ScalarRegression, options) with
        {
            Configuration = PerSample(Head.Regression),   // even with the recorded configuration, the numbers give it away
        };
        var name = new SnapshotFullName("TrajectoryTests.Notes_scalar_network_regression_per_sample_rule.snap", SourceFolder());
        Assert.True(File.Exists(Path.Combine(SourceFolder(), "__snapshots__", name.Filename)), "the committed snapshot is missing");
        Assert.ThrowsAny<Exception>(() => Snapshot.Match(changed, name));
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static Network Scalar(Head head)
    {
        // The notes' scalar network: w1 = 0.5, b1 = 0, w2 = 1, b2 = 0.
        var n = new Network(1, 1, head);
        n.W1[0] = 0.5;
        n.W2[0] = 1.0;
        return n;
    }

    /// <summary>The notes' rule (P4 with lr on every parameter): plain SGD, one sample per step, in order.</summary>
    private static TrainerOptions PerSample(Head head) => new()
    {
        Head = head, HiddenUnits = 1, Engine = Engine.Reference, Optimizer = Optimizer.Sgd, LearningRate = 0.1,
        BatchSize = 1, Epochs = 10, Shuffle = false, EarlyStoppingPatience = 0, Seed = 0,
    };

    private static TrainerOptions Options(Head head, Optimizer optimizer, double learningRate, int batchSize, int hidden, int epochs) => new()
    {
        Head = head, HiddenUnits = hidden, Engine = Engine.Reference, Optimizer = optimizer, LearningRate = learningRate,
        BatchSize = batchSize, Epochs = epochs, Seed = 7, EarlyStoppingPatience = 0,
    };
}

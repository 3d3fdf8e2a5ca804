namespace TinyNet.Tests;

public class TrainerOptionsTests
{
    public static TheoryData<Action<TrainerOptions>, string, string> Invalid => new()
    {
        { o => o.HiddenUnits = 0, "HiddenUnits", "at least 1" },
        { o => o.LearningRate = 0, "LearningRate", "> 0" },
        { o => o.LearningRate = -0.1, "LearningRate", "> 0" },
        { o => o.LearningRate = double.NaN, "LearningRate", "finite" },
        { o => o.LearningRate = double.PositiveInfinity, "LearningRate", "finite" },
        { o => o.Epochs = 0, "Epochs", "at least 1" },
        { o => o.BatchSize = 0, "BatchSize", "at least 1" },
        { o => o.BatchSize = -5, "BatchSize", "at least 1" },
        { o => o.Momentum = 1, "Momentum", "[0, 1)" },
        { o => o.Beta1 = -0.1, "Beta1", "[0, 1)" },
        { o => o.Beta2 = double.NaN, "Beta2", "[0, 1)" },
        { o => o.Epsilon = 0, "Epsilon", "> 0" },
        { o => o.L2Regularization = -1, "L2Regularization", "≥ 0" },
        { o => o.LearningRateDecay = double.NaN, "LearningRateDecay", "≥ 0" },
        { o => o.EarlyStoppingPatience = -1, "EarlyStoppingPatience", "≥ 0" },
        { o => o.EarlyStoppingTolerance = -1, "EarlyStoppingTolerance", "≥ 0" },
        { o => o.Threads = -1, "Threads", "≥ 1" },
        { o => o.Optimizer = (Optimizer)7, "Optimizer", "Sgd, Momentum or Adam" },
        { o => o.Head = (Head)7, "Head", "Regression, BinaryClassification or MulticlassClassification" },
        { o => o.Engine = (Engine)7, "Engine", "Fast or Reference" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_invalid_option_is_named_with_its_valid_range(Action<TrainerOptions> spoil, string name, string valid)
    {
        var options = new TrainerOptions();
        spoil(options);
        var e = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(name, e.ParamName);
        Assert.Contains(valid, e.Message);

        // Trainer.Train validates before touching the data.
        DataSet data = DataSet.FromRowMajor([1f, 2f], 1, [0f, 1f]);
        Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => Trainer.Train(data, options)).ParamName);
    }

    [Fact]
    public void Defaults_are_valid() => new TrainerOptions().Validate();
}

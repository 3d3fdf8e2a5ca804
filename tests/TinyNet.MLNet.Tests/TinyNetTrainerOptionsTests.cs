using Microsoft.ML;

namespace TinyNet.MLNet.Tests;

/// <summary>The options carry ML.NET's search-space attributes over ranges that hold both tasks' defaults.</summary>
public class TinyNetTrainerOptionsSearchSpaceTests
{
    [Theory]
    [InlineData(nameof(TinyNetTrainerOptions.NumberOfHiddenUnits))]
    [InlineData(nameof(TinyNetTrainerOptions.LearningRate))]
    [InlineData(nameof(TinyNetTrainerOptions.NumberOfIterations))]
    [InlineData(nameof(TinyNetTrainerOptions.BatchSize))]
    [InlineData(nameof(TinyNetTrainerOptions.L2Regularization))]
    [InlineData(nameof(TinyNetTrainerOptions.EarlyStoppingPatience))]
    public void Every_tunable_option_has_a_range_that_holds_the_defaults(string name)
    {
        System.Reflection.PropertyInfo property = typeof(TinyNetTrainerOptions).GetProperty(name)!;
        System.Reflection.CustomAttributeData range = Assert.Single(property.GetCustomAttributesData(),
            a => a.AttributeType == typeof(Microsoft.ML.SearchSpace.RangeAttribute));
        double min = Convert.ToDouble(range.ConstructorArguments[0].Value), max = Convert.ToDouble(range.ConstructorArguments[1].Value);
        double init = Convert.ToDouble(range.ConstructorArguments[2].Value);
        Assert.InRange(init, min, max);
        foreach (TinyNetTrainerOptions options in new TinyNetTrainerOptions[] { new TinyNetBinaryTrainer.Options(), new TinyNetRegressionTrainer.Options(), new TinyNetMulticlassTrainer.Options() })
        {
            Assert.InRange(Convert.ToDouble(property.GetValue(options)), min, max);
        }
    }

    [Fact]
    public void The_validation_fraction_is_a_choice_that_holds_the_defaults()
    {
        var choice = (Microsoft.ML.SearchSpace.ChoiceAttribute)Attribute.GetCustomAttribute(
            typeof(TinyNetTrainerOptions).GetProperty(nameof(TinyNetTrainerOptions.ValidationFraction))!, typeof(Microsoft.ML.SearchSpace.ChoiceAttribute))!;
        Assert.NotNull(choice);
        Assert.Contains(TinyNetBinaryTrainer.Options.Defaults.ValidationFraction, choice.Candidates.Select(Convert.ToSingle));
        Assert.Contains(TinyNetRegressionTrainer.Options.Defaults.ValidationFraction, choice.Candidates.Select(Convert.ToSingle));
        Assert.Contains(TinyNetMulticlassTrainer.Options.Defaults.ValidationFraction, choice.Candidates.Select(Convert.ToSingle));
    }
}

/// <summary>The defaults, written once per task, are what the catalog's simple overload trains with.</summary>
public class TinyNetTrainerOptionsDefaultsTests
{
    [Fact]
    public void The_default_procedure_is_adaptive_and_its_model_trained_on_every_row()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        IDataView features = RealData.BreastCancerFeaturizer(ml, data).Fit(data).Transform(data);
        Assert.Equal(TrainingProcedure.Adaptive, new TinyNetBinaryTrainer.Options().Procedure);
        Assert.Equal(0.2f, new TinyNetMulticlassTrainer.Options().AdaptiveHoldOutFraction);
        TinyNetModelParameters model = ml.BinaryClassification.Trainers.TinyNet().Fit(features).Model;
        Assert.Equal(TinyNetBinaryTrainer.Options.Defaults.NumberOfHiddenUnits, model.HiddenCount);
        TrainingHistory history = model.History!;
        Assert.Null(history.ValidationLoss);                                      // the chosen λ, refitted on all 569 rows
        Assert.InRange(history.EpochCount, 1, TinyNetBinaryTrainer.Options.Defaults.NumberOfIterations);
    }

    [Fact]
    public void The_plain_binary_default_holds_out_a_tenth_and_stops_early_on_it()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.BreastCancer(ml);
        IDataView features = RealData.BreastCancerFeaturizer(ml, data).Fit(data).Transform(data);
        TinyNetModelParameters model = ml.BinaryClassification.Trainers.TinyNet(new TinyNetBinaryTrainer.Options { Procedure = TrainingProcedure.Plain }).Fit(features).Model;
        TrainingHistory history = model.History!;
        Assert.NotNull(history.ValidationLoss);                                   // 10% of the 569 rows, held out
        Assert.True(history.EpochCount <= TinyNetBinaryTrainer.Options.Defaults.NumberOfIterations);
        Assert.Equal(history.ValidationLoss!.Count, history.EpochCount);
        Assert.True(history.BestEpoch >= 1 && history.BestEpoch <= history.EpochCount);
    }

    [Fact]
    public void The_plain_regression_default_trains_on_every_row_for_its_epochs()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = RealData.Concrete(ml);
        IDataView features = RealData.ConcreteFeaturizer(ml, data).Fit(data).Transform(data);
        TinyNetModelParameters model = ml.Regression.Trainers.TinyNet(new TinyNetRegressionTrainer.Options { Procedure = TrainingProcedure.Plain }).Fit(features).Model;
        Assert.Equal(TinyNetRegressionTrainer.Options.Defaults.NumberOfHiddenUnits, model.HiddenCount);
        Assert.Null(model.History!.ValidationLoss);
        Assert.Equal(TinyNetRegressionTrainer.Options.Defaults.NumberOfIterations, model.History.EpochCount);
    }

    [Fact]
    public void The_simple_overload_and_the_options_start_from_the_same_defaults()
    {
        foreach ((TinyNetTrainerOptions options, int h, float lr, int epochs, float l2, float fraction) in new (TinyNetTrainerOptions, int, float, int, float, float)[]
        {
            (new TinyNetBinaryTrainer.Options(), 32, 0.001f, 200, 1e-3f, 0.1f),
            (new TinyNetRegressionTrainer.Options(), 16, 0.01f, 200, 2e-3f, 0f),
            (new TinyNetMulticlassTrainer.Options(), 32, 0.01f, 200, 1e-3f, 0f),
        })
        {
            Assert.Equal(h, options.NumberOfHiddenUnits);
            Assert.Equal(lr, options.LearningRate);
            Assert.Equal(epochs, options.NumberOfIterations);
            Assert.Equal(32, options.BatchSize);
            Assert.Equal(l2, options.L2Regularization);
            Assert.Equal(fraction, options.ValidationFraction);
            Assert.Equal(options is TinyNetBinaryTrainer.Options ? 20 : 50, options.EarlyStoppingPatience);
            Assert.Equal(TrainingProcedure.Adaptive, options.Procedure);
        }

        // The catalog's parameters take their default values from the same constants.
        System.Reflection.ParameterInfo[] binary = SimpleOverload(typeof(BinaryClassificationCatalog.BinaryClassificationTrainers));
        Assert.Equal(TinyNetBinaryTrainer.Options.Defaults.NumberOfHiddenUnits, binary.Single(p => p.Name == "numberOfHiddenUnits").DefaultValue);
        Assert.Equal(TinyNetBinaryTrainer.Options.Defaults.LearningRate, binary.Single(p => p.Name == "learningRate").DefaultValue);
        Assert.Equal(TinyNetBinaryTrainer.Options.Defaults.NumberOfIterations, binary.Single(p => p.Name == "numberOfIterations").DefaultValue);
        System.Reflection.ParameterInfo[] regression = SimpleOverload(typeof(RegressionCatalog.RegressionTrainers));
        Assert.Equal(TinyNetRegressionTrainer.Options.Defaults.NumberOfHiddenUnits, regression.Single(p => p.Name == "numberOfHiddenUnits").DefaultValue);
        Assert.Equal(TinyNetRegressionTrainer.Options.Defaults.LearningRate, regression.Single(p => p.Name == "learningRate").DefaultValue);
        System.Reflection.ParameterInfo[] multiclass = SimpleOverload(typeof(MulticlassClassificationCatalog.MulticlassClassificationTrainers));
        Assert.Equal(TinyNetMulticlassTrainer.Options.Defaults.NumberOfHiddenUnits, multiclass.Single(p => p.Name == "numberOfHiddenUnits").DefaultValue);
        Assert.Equal(TinyNetMulticlassTrainer.Options.Defaults.LearningRate, multiclass.Single(p => p.Name == "learningRate").DefaultValue);
        Assert.Equal(TinyNetMulticlassTrainer.Options.Defaults.NumberOfIterations, multiclass.Single(p => p.Name == "numberOfIterations").DefaultValue);
        Assert.Equal(TinyNetMulticlassTrainer.Options.Defaults.EarlyStoppingPatience, new TinyNetMulticlassTrainer.Options().EarlyStoppingPatience);
    }

    /// <summary>The parameters of the catalog's simple TinyNet overload (not the Options one) for a task's trainers catalog.</summary>
    private static System.Reflection.ParameterInfo[] SimpleOverload(Type trainers) => typeof(TinyNetCatalog).GetMethods()
        .Single(m => m.Name == "TinyNet" && m.GetParameters()[0].ParameterType == trainers && m.GetParameters().Length > 2)
        .GetParameters();
}

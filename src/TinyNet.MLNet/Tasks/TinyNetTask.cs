using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.MLNet;

/// <summary>
/// The ML.NET face of one Core head (<see cref="Head"/>): the label column it reads and the score columns it adds, with
/// their getters. One subclass per task (<see cref="RegressionTask"/>, <see cref="BinaryTask"/>, <see cref="MulticlassTask"/>);
/// the trainers, the data reader and the scored view ask it instead of testing the head.
/// </summary>
internal abstract class TinyNetTask
{
    /// <summary>The task of a head.</summary>
    public static TinyNetTask For(Head head) => (uint)head < (uint)Tasks.Length
        ? Tasks[(int)head]
        : throw new ArgumentOutOfRangeException(nameof(head), head, "Head must be Regression, BinaryClassification or MulticlassClassification.");

    /// <summary>One instance of each task (they hold no state), indexed by head.</summary>
    private static readonly TinyNetTask[] Tasks = [new RegressionTask(), new BinaryTask(), new MulticlassTask()];

    /// <summary>The Core head this task trains.</summary>
    public abstract Head Head { get; }

    /// <summary>True when the label is a key over K classes and the model's outputs are their probabilities.</summary>
    public virtual bool HasClasses => false;

    /// <summary>Checks the <paramref name="role"/> data's label column and returns how its rows become the Core's labels.</summary>
    /// <param name="label">The label column.</param>
    /// <param name="role">"training" or "validation", named in every error.</param>
    /// <param name="trainingClasses">For a validation set of a task with classes: the training classes to map its classes to by value.</param>
    public abstract LabelReader Labels(DataViewSchema.Column label, string role, ClassLabels? trainingClasses);

    /// <summary>The classes the estimator's output schema shows before training (a placeholder of K = 2), or null without classes.</summary>
    public virtual ClassLabels? ClassesOf(SchemaShape.Column label, string labelName) => null;

    /// <summary>Adds the score columns, named and annotated as ML.NET's built-in trainers of this task do.</summary>
    public abstract void AddScoreColumns(DataViewSchema.Builder builder, uint setId, ClassLabels? classes);

    /// <summary>The getter of added column <paramref name="column"/> (in <see cref="AddScoreColumns"/>' order), reading <paramref name="row"/>.</summary>
    public abstract Delegate Getter(TinyNetPredictionTransformer.RowScorer row, int column);

    /// <summary>Refuses a one-output label column that is not <paramref name="expected"/>, with how to get it.</summary>
    protected static void CheckType(DataViewSchema.Column label, DataViewType expected, string role, string advice)
    {
        if (label.Type != expected)
        {
            throw new ArgumentOutOfRangeException(nameof(TinyNetTrainerOptions.LabelColumnName),
                $"Schema mismatch for label column '{label.Name}': expected {expected}, got {label.Type} in the {role} data." + advice);
        }
    }
}

/// <summary>
/// A label column checked for a task: the classes its labels index (null without classes) and how the rows of a cursor
/// become the Core's float labels (a class number 0 … K − 1, NaN for a missing key).
/// </summary>
/// <param name="Classes">The classes the labels index, or null.</param>
/// <param name="Open">Makes, for a cursor, the reader of the current row's label (given the row number, for errors).</param>
internal sealed record LabelReader(ClassLabels? Classes, Func<DataViewRowCursor, Func<long, float>> Open);

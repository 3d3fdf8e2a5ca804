namespace TinyNet.MLNet;

/// <summary>
/// The label standardisation of <see cref="TinyNetRegressionTrainer.Options.StandardizeLabel"/>: training sees
/// y′ = (y − mean) / std (the training rows' mean and population standard deviation; std 1 for a constant label), so
/// the learning rate suits any label scale; afterwards the scale is folded into the output layer,
/// w2 = w2′ · std, b2 = b2′ · std + mean, and the model stays the notes' network on the label as given.
/// <see cref="UnfoldFrom"/> is the inverse, for continuing training from a saved network.
/// </summary>
internal sealed class LabelScaling
{
    private readonly float _mean;
    private readonly float _std;

    private LabelScaling(float mean, float std)
    {
        _mean = mean;
        _std = std;
    }

    private bool IsIdentity => _mean == 0f && _std == 1f;

    /// <summary>The statistics of <paramref name="data"/>'s labels (unweighted, in double).</summary>
    public static LabelScaling Of(DataSet data)
    {
        ReadOnlySpan<float> y = data.Labels.Span;
        double mean = 0;
        foreach (float v in y)
        {
            mean += v;
        }

        mean /= y.Length;
        double variance = 0;
        foreach (float v in y)
        {
            variance += (v - mean) * (v - mean);
        }

        double std = Math.Sqrt(variance / y.Length);
        return new LabelScaling((float)mean, std > 0 ? (float)std : 1f);
    }

    /// <summary>The same rows with standardised labels (a copy of the labels; features and weights shared).</summary>
    public DataSet Apply(DataSet data)
    {
        if (IsIdentity)
        {
            return data;
        }

        float[] y = data.Labels.ToArray();
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (y[i] - _mean) / _std;
        }

        return data.WithLabels(y);
    }

    /// <summary>Folds the scale into w2 and b2: w2 = w2′ · std, b2 = b2′ · std + mean.</summary>
    public void FoldInto(Network network)
    {
        if (IsIdentity)
        {
            return;
        }

        for (int h = 0; h < network.HiddenCount; h++)
        {
            network.W2[h] *= _std;
        }

        network.B2[0] = network.B2[0] * _std + _mean;
    }

    /// <summary>The inverse of <see cref="FoldInto"/>: w2′ = w2 / std, b2′ = (b2 − mean) / std.</summary>
    public void UnfoldFrom(Network network)
    {
        if (IsIdentity)
        {
            return;
        }

        for (int h = 0; h < network.HiddenCount; h++)
        {
            network.W2[h] /= _std;
        }

        network.B2[0] = (network.B2[0] - _mean) / _std;
    }
}

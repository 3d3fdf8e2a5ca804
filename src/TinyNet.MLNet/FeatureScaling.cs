namespace TinyNet.MLNet;

/// <summary>
/// The per-feature standardisation of <see cref="TinyNetTrainerOptions.StandardizeFeatures"/>: x′ = (x − μ) / σ with the
/// training rows' mean μ and (population) standard deviation σ, computed in double. Training sees x′; afterwards the
/// transform is folded into the first layer, since
/// <code>
/// z1 = w1′ · (x − μ) / σ + b1′ = (w1′ / σ) · x + (b1′ − Σⱼ w1′ⱼ μⱼ / σⱼ)
/// </code>
/// so the model keeps the notes' form z1 = w1 · x + b1 on the features as given. A column whose σ is zero, or below
/// float resolution relative to its mean, counts as constant: σ = 1 (centred only, so it enters z1 as 0).
/// </summary>
internal sealed class FeatureScaling
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    private FeatureScaling(double[] mean, double[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>The statistics of <paramref name="data"/>'s features (unweighted: they describe the inputs, not the loss).</summary>
    public static FeatureScaling Of(DataSet data)
    {
        int n = data.RowCount, d = data.ColumnCount;
        ReadOnlySpan<float> x = data.Features.Span;
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                mean[j] += row[j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                double r = row[j] - mean[j];
                scale[j] += r * r;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double std = Math.Sqrt(scale[j] / n);
            scale[j] = std > 1e-7 * Math.Abs(mean[j]) && std > 0 ? std : 1.0;
        }

        return new FeatureScaling(mean, scale);
    }

    /// <summary>The same rows with standardised features (a copy of the features; labels and weights shared).</summary>
    public DataSet Apply(DataSet data)
    {
        int n = data.RowCount, d = data.ColumnCount;
        ReadOnlySpan<float> x = data.Features.Span;
        var scaled = new float[x.Length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                scaled[i * d + j] = (float)((x[i * d + j] - _mean[j]) / _scale[j]);
            }
        }

        return data.WithFeatures(scaled);
    }

    /// <summary>
    /// The inverse of <see cref="FoldInto"/>, for continuing training from a saved network: w1′ = w1 · σ,
    /// b1′ = b1 + Σⱼ w1ⱼ μⱼ (so that w1′ · (x − μ) / σ + b1′ = w1 · x + b1).
    /// </summary>
    public void UnfoldFrom(Network network)
    {
        int d = network.InputCount;
        for (int h = 0; h < network.HiddenCount; h++)
        {
            double shift = 0;
            for (int j = 0; j < d; j++)
            {
                double w = network.W1[h * d + j];
                shift += w * _mean[j];
                network.W1[h * d + j] = w * _scale[j];
            }

            network.B1[h] += shift;
        }
    }

    /// <summary>Folds the standardisation into w1 and b1: w1 = w1′ / σ, b1 = b1′ − Σⱼ w1′ⱼ μⱼ / σⱼ.</summary>
    public void FoldInto(Network network)
    {
        int d = network.InputCount;
        for (int h = 0; h < network.HiddenCount; h++)
        {
            double shift = 0;
            for (int j = 0; j < d; j++)
            {
                double w = network.W1[h * d + j] / _scale[j];
                network.W1[h * d + j] = w;
                shift += w * _mean[j];
            }

            network.B1[h] -= shift;
        }
    }
}

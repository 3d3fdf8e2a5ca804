using ScottPlot;

namespace TinyNet.Examples.Compare;

/// <summary>PNG plots, 800 × 500: TinyNet's loss curves, and the headline metric of every trainer.</summary>
internal static class Plots
{
    public static IEnumerable<string> Write(string folder, DataSpec spec, List<TrainerResult> rows, TrainingHistory? history)
    {
        if (history is not null)
        {
            var plot = new Plot();
            double[] epochs = [.. Enumerable.Range(1, history.EpochCount).Select(e => (double)e)];
            var training = plot.Add.Scatter(epochs, [.. history.TrainingLoss]);
            training.LegendText = "training loss";
            training.MarkerSize = 0;
            if (history.ValidationLoss is { } validation)
            {
                var v = plot.Add.Scatter(epochs, [.. validation]);
                v.LegendText = "validation loss (10% held out)";
                v.MarkerSize = 0;
                var best = plot.Add.VerticalLine(history.BestEpoch);
                best.LegendText = $"best epoch ({history.BestEpoch})";
                best.LinePattern = LinePattern.Dashed;
            }

            plot.Title($"TinyNet on {spec.Name} (split 1): loss per epoch");
            plot.XLabel("epoch");
            plot.YLabel(spec.Task switch
            {
                TaskKind.Binary => "log-loss (natural log)",
                TaskKind.Multiclass => "cross-entropy (natural log)",
                _ => "½ squared error (standardised label)",
            });
            plot.ShowLegend(Alignment.UpperRight);
            string path = Path.Combine(folder, $"{spec.Name}-tinynet-loss.png");
            plot.SavePng(path, 800, 500);
            yield return path;
        }

        string metric = Report.PrimaryMetric(spec.Task.ToString().ToLowerInvariant());
        bool higher = metric != "rmse";
        var bars = new Plot();
        double[] values = [.. rows.Select(r => r.Metrics[metric])];
        var barPlot = bars.Add.Bars(values);
        for (int i = 0; i < barPlot.Bars.Count; i++)
        {
            barPlot.Bars[i].Label = values[i].ToString(higher ? "F4" : "F3", System.Globalization.CultureInfo.InvariantCulture);
            barPlot.Bars[i].FillColor = rows[i].Trainer == "tinynet" ? Colors.OrangeRed : Colors.SteelBlue;
        }

        barPlot.ValueLabelStyle.FontSize = 14;
        bars.Axes.Bottom.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)i)], [.. rows.Select(r => r.Trainer)]);
        double min = values.Min(), max = values.Max();
        bars.Axes.SetLimitsY(higher ? Math.Max(0, min - 0.05) : 0, higher ? 1.005 : max * 1.15);
        bars.Title($"{spec.Name}: {Report.Title(metric)} per trainer (mean of {rows[0].Splits} splits; {(higher ? "higher" : "lower")} is better)");
        bars.XLabel("trainer");
        bars.YLabel(Report.Title(metric));
        string barsPath = Path.Combine(folder, $"{spec.Name}-{metric}.png");
        bars.SavePng(barsPath, 800, 500);
        yield return barsPath;
    }
}

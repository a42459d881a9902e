using System.Globalization;
using ScottPlot;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>The study's two PNGs: final MSE per method (mean ± sd bars) and mean MSE against the optimiser step.</summary>
public static class FrozenLakePlots
{
    public static void FinalMseBars(string path, IReadOnlyList<(string Label, double Mean, double Sd)> bars, int seeds)
    {
        var plot = new Plot();
        for (int i = 0; i < bars.Count; i++)
            plot.Add.Bar(new Bar { Position = i, Value = bars[i].Mean, Error = bars[i].Sd, FillColor = Palette(i) });
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(b => b.Label).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Frozen Lake: state-action table MSE vs the optimal policy (mean ± sd, {seeds} seeds)");
        plot.YLabel("MSE over all non-terminal states");
        plot.SavePng(path, 800, 500);
    }

    public static void Curves(string path, IReadOnlyList<(string Label, double[] Steps, double[] MeanMse)> curves, int seeds)
    {
        var plot = new Plot();
        for (int i = 0; i < curves.Count; i++)
        {
            var line = plot.Add.Scatter(curves[i].Steps, curves[i].MeanMse);
            line.LegendText = curves[i].Label;
            line.Color = Palette(i);
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Frozen Lake: table MSE during training (mean of {seeds} seeds)"));
        plot.XLabel("optimizer step");
        plot.YLabel("MSE over all non-terminal states");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 800, 500);
    }

    static Color Palette(int i) => new ScottPlot.Palettes.Category10().GetColor(i);
}

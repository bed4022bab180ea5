// Draws a fragment's figures as PNG files with ScottPlot: bars (one per series, or grouped by category, each
// labelled with its value and, when the figure names a baseline peer, the ratio to it), cumulative
// distributions of raw samples, and lines.
using System.Globalization;
using ScottPlot;

namespace Patchbay.BenchReport;

public static class FigureWriter
{
    public const int Width = 900;
    public const int Height = 500;

    // The native Skia build without fontconfig finds no system font by name: register one from its file.
    private const string FontName = "DejaVu Sans";
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ];

    private static readonly Lock FontLock = new();
    private static bool s_fontsRegistered;

    /// <summary>Writes <c>{directory}/{figure.File}.png</c> and returns its path.</summary>
    public static string Write(Figure figure, string directory)
    {
        ArgumentNullException.ThrowIfNull(figure);
        Directory.CreateDirectory(directory);
        RegisterFonts();
        var plot = new Plot();
        if (s_fontsRegistered)
        {
            plot.Font.Set(FontName);
        }

        switch (figure.Kind)
        {
            case FigureKind.Bars:
                DrawBars(plot, figure);
                break;
            case FigureKind.Cdf:
                DrawCdf(plot, figure);
                break;
            case FigureKind.Line:
                DrawLines(plot, figure);
                break;
        }

        plot.Title(figure.Title);
        plot.XLabel(figure.XLabel);
        plot.YLabel(figure.YLabel.Length > 0 ? figure.YLabel : figure.Kind == FigureKind.Cdf ? "% of samples at or below" : string.Empty);
        string path = Path.Combine(directory, figure.File + ".png");
        plot.SavePng(path, Width, Height);
        return path;
    }

    private static void RegisterFonts()
    {
        lock (FontLock)
        {
            if (s_fontsRegistered || !File.Exists(FontFiles[0]))
            {
                return;
            }

            Fonts.AddFontFile(FontName, FontFiles[0], bold: false, italic: false);
            if (File.Exists(FontFiles[1]))
            {
                Fonts.AddFontFile(FontName, FontFiles[1], bold: true, italic: false);
            }

            s_fontsRegistered = true;
        }
    }

    private static void DrawBars(Plot plot, Figure figure)
    {
        var palette = new ScottPlot.Palettes.Category10();
        bool grouped = figure.Series.Any(s => s.Categories.Count > 0);
        Series? baseline = figure.Baseline is null ? null : figure.Series.First(s => s.Name == figure.Baseline);
        var bars = new List<Bar>();
        if (!grouped)
        {
            // One bar per series, named on the axis.
            for (int i = 0; i < figure.Series.Count; i++)
            {
                Series s = figure.Series[i];
                bars.Add(new Bar { Position = i, Value = s.Y[0], FillColor = palette.GetColor(i), Label = Label(s.Y[0], baseline?.Y[0], baseline is not null && s != baseline, figure.Baseline) });
            }

            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, figure.Series.Count).Select(i => (double)i)], [.. figure.Series.Select(s => s.Name)]);
        }
        else
        {
            // Categories along the axis, one bar per series in each, the series in the legend.
            List<string> categories = [.. figure.Series.SelectMany(s => s.Categories).Distinct()];
            int n = figure.Series.Count;
            double width = 0.8 / n;
            for (int si = 0; si < n; si++)
            {
                Series s = figure.Series[si];
                for (int k = 0; k < s.Categories.Count; k++)
                {
                    int ci = categories.IndexOf(s.Categories[k]);
                    double? peer = baseline is null ? null : ValueAt(baseline, s.Categories[k]);
                    bars.Add(new Bar
                    {
                        Position = ci - 0.4 + (width * (si + 0.5)),
                        Size = width * 0.95,
                        Value = s.Y[k],
                        FillColor = palette.GetColor(si),
                        Label = Label(s.Y[k], peer, baseline is not null && s != baseline, figure.Baseline),
                    });
                }

                plot.Legend.ManualItems.Add(new LegendItem { LabelText = s.Name, FillColor = palette.GetColor(si) });
            }

            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], [.. categories]);
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.Add.Bars(bars);
        plot.Axes.Margins(bottom: 0, top: 0.15);
    }

    private static double? ValueAt(Series series, string category)
    {
        int i = series.Categories.ToList().IndexOf(category);
        return i < 0 ? null : series.Y[i];
    }

    /// <summary>The value, compact, and under it the ratio to the baseline's value when there is one.</summary>
    public static string Label(double value, double? baseline, bool showRatio, string? baselineName)
    {
        string text = Compact(value);
        if (showRatio && baseline is double b && b > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\n{value / b:0.##}× {baselineName}");
        }

        return text;
    }

    public static string Compact(double value)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        double a = Math.Abs(value);
        return a >= 1e9 ? string.Create(c, $"{value / 1e9:0.##} G")
            : a >= 1e6 ? string.Create(c, $"{value / 1e6:0.##} M")
            : a >= 1e4 ? string.Create(c, $"{value / 1e3:0.#} k")
            : a >= 100 ? value.ToString("0", c)
            : value.ToString("0.##", c);
    }

    private static void DrawCdf(Plot plot, Figure figure)
    {
        foreach (Series s in figure.Series)
        {
            double[] xs = [.. s.Y.Order()];
            double[] ys = [.. Enumerable.Range(1, xs.Length).Select(i => 100.0 * i / xs.Length)];
            var line = plot.Add.Scatter(xs, ys);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{s.Name} (n={xs.Length}, p50 {Compact(Percentile(xs, 50))}, p99 {Compact(Percentile(xs, 99))})");
        }

        plot.Axes.SetLimitsY(0, 101);
        plot.ShowLegend(Alignment.LowerRight);
    }

    /// <summary>Nearest rank of sorted samples.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        int rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static void DrawLines(Plot plot, Figure figure)
    {
        foreach (Series s in figure.Series)
        {
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            line.LegendText = s.Name;
            line.MarkerSize = 5;
        }

        plot.ShowLegend(Alignment.UpperLeft);
    }
}

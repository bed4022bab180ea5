// The result fragment one benchmark suite writes with --out-json (bench/README.md is the contract), as read
// from JSON and then checked by FragmentReader. Cells and x values may be strings or numbers in the file.
using System.Text.Json;

namespace Patchbay.BenchReport;

public sealed record Fragment(
    string Suite,
    string Title,
    string Command,
    double Seconds,
    string Summary,
    IReadOnlyList<ResultTable> Tables,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<string> Notes);

public sealed record ResultTable(string? Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

public enum FigureKind
{
    /// <summary>One bar per series (its single y), or grouped bars: x holds the category labels.</summary>
    Bars,

    /// <summary>Each series' y are raw samples, drawn as a cumulative distribution.</summary>
    Cdf,

    /// <summary>x/y numeric points per series.</summary>
    Line,
}

/// <summary>A figure; <paramref name="Baseline"/> names the peer series the bars' ratio labels divide by.</summary>
public sealed record Figure(
    string File,
    FigureKind Kind,
    string Title,
    string XLabel,
    string YLabel,
    string? Baseline,
    IReadOnlyList<Series> Series);

/// <summary>One series; <paramref name="Categories"/> (bars) or <paramref name="X"/> (line) come from the file's x.</summary>
public sealed record Series(string Name, IReadOnlyList<string> Categories, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>The fragment as it is in the file, before the checks: everything optional, cells any JSON value.</summary>
internal sealed record RawFragment(
    string? Suite,
    string? Title,
    string? Command,
    double? Seconds,
    string? Summary,
    List<RawTable>? Tables,
    List<RawFigure>? Figures,
    List<string>? Notes);

internal sealed record RawTable(string? Caption, List<string>? Columns, List<List<JsonElement>>? Rows);

internal sealed record RawFigure(string? File, string? Kind, string? Title, string? XLabel, string? YLabel, string? Baseline, List<RawSeries>? Series);

internal sealed record RawSeries(string? Name, List<JsonElement>? X, List<double>? Y);

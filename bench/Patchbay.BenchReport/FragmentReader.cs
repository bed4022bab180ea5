// Reads and checks result fragments and the run manifest. Every problem is a FragmentException whose message
// starts with the file's path and names the field, so a suite's author sees what to fix in which file.
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Patchbay.BenchReport;

public sealed class FragmentException(string message, Exception? inner = null) : Exception(message, inner);

public static partial class FragmentReader
{
    /// <summary>Raw samples beyond this per series are a suite's mistake (bench/README.md: subsample evenly).</summary>
    public const int MaxSamplesPerSeries = 5000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex FileNameSafe();

    public static Fragment Read(string path)
    {
        RawFragment raw = Deserialize(path, BenchJsonContext.Default.RawFragment);
        return Check(path, raw);
    }

    public static RunManifest ReadManifest(string path)
    {
        RunManifest manifest = Deserialize(path, BenchJsonContext.Default.RunManifest);
        if (manifest.Suites is null || manifest.Machine is null)
        {
            throw new FragmentException($"{path}: \"suites\" and \"machine\" are required in the run manifest");
        }

        return manifest;
    }

    private static T Deserialize<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new FragmentException($"{path}: cannot be read ({e.Message})", e);
        }

        try
        {
            return JsonSerializer.Deserialize(text, type) ?? throw new FragmentException($"{path}: holds JSON null, not an object");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" at line {line + 1}" : string.Empty;
            throw new FragmentException($"{path}: not a valid fragment{where}: {e.Message}", e);
        }
    }

    private static Fragment Check(string path, RawFragment raw)
    {
        string suite = Required(path, "suite", raw.Suite);
        if (!FileNameSafe().IsMatch(suite))
        {
            throw new FragmentException($"{path}: \"suite\" must be file-name safe (letters, digits, '.', '_', '-'), not '{suite}'");
        }

        var tables = new List<ResultTable>();
        for (int t = 0; t < (raw.Tables?.Count ?? 0); t++)
        {
            tables.Add(CheckTable(path, $"tables[{t}]", raw.Tables![t]));
        }

        var figures = new List<Figure>();
        for (int f = 0; f < (raw.Figures?.Count ?? 0); f++)
        {
            figures.Add(CheckFigure(path, $"figures[{f}]", raw.Figures![f]));
        }

        return new Fragment(
            suite,
            Required(path, "title", raw.Title),
            Required(path, "command", raw.Command),
            raw.Seconds ?? throw new FragmentException($"{path}: \"seconds\" is missing"),
            Required(path, "summary", raw.Summary),
            tables,
            figures,
            raw.Notes ?? []);
    }

    private static ResultTable CheckTable(string path, string at, RawTable raw)
    {
        if (raw.Columns is not { Count: > 0 } columns)
        {
            throw new FragmentException($"{path}: {at}.columns is missing or empty");
        }

        var rows = new List<IReadOnlyList<string>>();
        for (int r = 0; r < (raw.Rows?.Count ?? 0); r++)
        {
            List<JsonElement> row = raw.Rows![r];
            if (row.Count != columns.Count)
            {
                throw new FragmentException($"{path}: {at}.rows[{r}] has {row.Count} cells for {columns.Count} columns");
            }

            rows.Add(row.Select((cell, c) => Cell(path, $"{at}.rows[{r}][{c}]", cell)).ToList());
        }

        return new ResultTable(raw.Caption, columns, rows);
    }

    private static string Cell(string path, string at, JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => cell.GetString()!,
        JsonValueKind.Number => cell.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Null => string.Empty,
        _ => throw new FragmentException($"{path}: {at} must be a string or a number, not {cell.ValueKind}"),
    };

    private static Figure CheckFigure(string path, string at, RawFigure raw)
    {
        string file = Required(path, $"{at}.file", raw.File);
        if (!FileNameSafe().IsMatch(file))
        {
            throw new FragmentException($"{path}: {at}.file must be a file-name safe base name, not '{file}'");
        }

        FigureKind kind = Required(path, $"{at}.kind", raw.Kind) switch
        {
            "bars" => FigureKind.Bars,
            "cdf" => FigureKind.Cdf,
            "line" => FigureKind.Line,
            string other => throw new FragmentException($"{path}: {at}.kind must be bars, cdf or line, not '{other}'"),
        };
        if (raw.Series is not { Count: > 0 })
        {
            throw new FragmentException($"{path}: {at}.series is missing or empty");
        }

        var series = new List<Series>();
        for (int s = 0; s < raw.Series.Count; s++)
        {
            series.Add(CheckSeries(path, $"{at}.series[{s}]", kind, raw.Series[s]));
        }

        if (raw.Baseline is not null && series.All(s => s.Name != raw.Baseline))
        {
            throw new FragmentException($"{path}: {at}.baseline '{raw.Baseline}' names no series");
        }

        return new Figure(file, kind, Required(path, $"{at}.title", raw.Title), raw.XLabel ?? string.Empty, raw.YLabel ?? string.Empty, raw.Baseline, series);
    }

    private static Series CheckSeries(string path, string at, FigureKind kind, RawSeries raw)
    {
        string name = Required(path, $"{at}.name", raw.Name);
        if (raw.Y is not { Count: > 0 } y)
        {
            throw new FragmentException($"{path}: {at}.y is missing or empty");
        }

        if (y.Any(v => !double.IsFinite(v)))
        {
            throw new FragmentException($"{path}: {at}.y holds a value that is not a finite number");
        }

        if (kind == FigureKind.Cdf && y.Count > MaxSamplesPerSeries)
        {
            throw new FragmentException($"{path}: {at}.y holds {y.Count} samples, more than {MaxSamplesPerSeries} (subsample evenly)");
        }

        List<JsonElement> x = raw.X ?? [];
        if (kind == FigureKind.Line && x.Count != y.Count)
        {
            throw new FragmentException($"{path}: {at}: a line needs as many x as y ({x.Count} x, {y.Count} y)");
        }

        if (kind == FigureKind.Bars && x.Count == 0 && y.Count != 1)
        {
            throw new FragmentException($"{path}: {at}: bars without x categories take exactly one y, not {y.Count}");
        }

        if (kind == FigureKind.Bars && x.Count > 0 && x.Count != y.Count)
        {
            throw new FragmentException($"{path}: {at}: grouped bars need one y per x category ({x.Count} x, {y.Count} y)");
        }

        IReadOnlyList<double> numbers = kind == FigureKind.Line
            ? x.Select((v, i) => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new FragmentException($"{path}: {at}.x[{i}] must be a number for a line")).ToList()
            : [];
        IReadOnlyList<string> categories = kind == FigureKind.Bars
            ? x.Select((v, i) => Cell(path, $"{at}.x[{i}]", v)).ToList()
            : [];
        return new Series(name, categories, numbers, y);
    }

    private static string Required(string path, string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new FragmentException($"{path}: \"{field}\" is missing or empty") : value;
}

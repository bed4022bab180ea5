// Aligned, colourless columns (three spaces apart, no trailing blanks), as `docker ps` prints them: the same bytes
// whether stdout is a terminal or a pipe, so scripts can cut them and tests can compare them.
namespace Patchbay.Cli.Output;

internal static class TableWriter
{
    private const string Gap = "   ";

    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        await output.WriteLineAsync(Line(headers, widths));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Line(row, widths));
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(Gap, cells.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd();
}

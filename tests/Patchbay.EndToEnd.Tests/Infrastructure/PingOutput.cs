// Reading what ping printed: with -D each reply line starts with the time it arrived ("[1700000000.123456] 64 bytes
// from ..."), ping's own clock, so a test needs no process start-up in its timing.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Patchbay.EndToEnd.Tests.Infrastructure;

public static partial class PingOutput
{
    /// <summary>When each reply arrived, in order, from the output of <c>ping -D</c>.</summary>
    public static DateTimeOffset[] ReplyTimes(string output) =>
        [.. ReplyLine().Matches(output).Select(m => DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(m.Groups["t"].Value, CultureInfo.InvariantCulture) * 1000)))];

    [GeneratedRegex(@"^\[(?<t>\d+\.\d+)\] \d+ bytes from ", RegexOptions.Multiline)]
    private static partial Regex ReplyLine();
}

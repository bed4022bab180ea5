// What a run measured, as the text table and the JSON (-o json) that scripts read. Latencies are in
// microseconds; fairness is Jain's index over the switches' response counts (1 = perfectly even).
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Patchbay.LoadGen;

public sealed record LoopReport(
    int Loop,
    double Seconds,
    long Responses,
    double ResponsesPerSecond,
    double P50Microseconds,
    double P99Microseconds,
    long MinPerSwitch,
    long MaxPerSwitch,
    double Fairness,
    double GeneratorCpuSeconds);

public sealed record LoadReport(
    string Label,
    string Mode,
    string Traffic,
    int Switches,
    int Window,
    bool Unbuffered,
    double WarmupSeconds,
    IReadOnlyList<LoopReport> Loops,
    double ResponsesPerSecond,
    double P50Microseconds,
    double P99Microseconds,
    double Fairness,
    long Sent,
    long Answered,
    long Lost,
    long Unmatched,
    long Errors,
    int PairWraps,
    IReadOnlyList<long> AnsweredPerSwitch)
{
    public string ToText()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{Label}: {Mode}, {Switches} switches, window {Window}, {Traffic} traffic, {(Unbuffered ? "unbuffered" : "buffered")} PACKET_INs, {WarmupSeconds:0.#} s warm-up");
        foreach (LoopReport loop in Loops)
        {
            text.AppendLine(c, $"  loop {loop.Loop}: {loop.Responses} responses in {loop.Seconds:0.00} s = {loop.ResponsesPerSecond:0} responses/s, p50 {loop.P50Microseconds:0.0} us, p99 {loop.P99Microseconds:0.0} us, per switch {loop.MinPerSwitch}..{loop.MaxPerSwitch} (fairness {loop.Fairness:0.000}), generator CPU {loop.GeneratorCpuSeconds / loop.Seconds:0%} of one core");
        }

        text.AppendLine(c, $"  result: {ResponsesPerSecond:0} responses/s, p50 {P50Microseconds:0.0} us, p99 {P99Microseconds:0.0} us, fairness {Fairness:0.000}");
        text.AppendLine(c, $"  totals: sent {Sent}, answered {Answered}, lost {Lost}, unmatched answers {Unmatched}, OFPT_ERRORs {Errors}{(PairWraps > 0 ? $", conversation pairs ran out {PairWraps} times" : string.Empty)}");
        text.AppendLine("  note: the generator and the controller share this machine's CPUs");
        return text.ToString();
    }

    /// <summary>Jain's fairness index: (sum x)^2 / (n * sum x^2).</summary>
    public static double Jain(IReadOnlyList<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        double squares = 0;
        foreach (long v in values)
        {
            sum += v;
            squares += (double)v * v;
        }

        return squares == 0 ? 0 : sum * sum / (values.Count * squares);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LoadReport))]
[JsonSerializable(typeof(List<LoadReport>))]
public sealed partial class LoadGenJsonContext : JsonSerializerContext;

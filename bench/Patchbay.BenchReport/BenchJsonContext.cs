// Source-generated JSON for the fragments and the run manifest (camelCase, as the suites write them).
using System.Text.Json.Serialization;

namespace Patchbay.BenchReport;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RawFragment))]
[JsonSerializable(typeof(RunManifest))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

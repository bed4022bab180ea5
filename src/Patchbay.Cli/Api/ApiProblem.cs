// Turns a refused request's RFC 9457 problem details into the one line the CLI prints: the detail, prefixed with
// the field it is about when the detail does not already start with it ("subnet: 10.1.0.0/33 is not a valid IPv4 CIDR").
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Patchbay.Cli.Api;

internal static class ApiProblem
{
    private const int MaxLength = 300;

    public static string Describe(HttpStatusCode status, string body, string request)
    {
        var message = FromProblem(body) ?? FromText(body) ?? string.Create(CultureInfo.InvariantCulture, $"{request} answered {(int)status} {status}");
        return OneLine(message);
    }

    private static string? FromProblem(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var detail = String(root, "detail");
            var field = String(root, "field");
            if (field is null && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var error in errors.EnumerateObject())
                {
                    field = error.Name;
                    detail ??= error.Value.ValueKind == JsonValueKind.Array && error.Value.GetArrayLength() > 0 ? error.Value[0].GetString() : null;
                    break;
                }
            }

            detail ??= String(root, "title");
            return detail is null ? null
                : field is null || detail.StartsWith(field, StringComparison.OrdinalIgnoreCase) || detail.Contains($"'{field}'", StringComparison.Ordinal) ? detail
                : $"{field}: {detail}";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FromText(string body) => string.IsNullOrWhiteSpace(body) ? null : body.Trim();

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxLength ? line : line[..MaxLength] + "...";
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

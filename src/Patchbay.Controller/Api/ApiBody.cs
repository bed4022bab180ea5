// Request bodies: JSON only (415 otherwise), at most MaxBytes (413), parsed strictly (unknown members,
// duplicate members, wrong types and malformed JSON are 400s that say where). The limit is checked here as
// well as by Kestrel, so that it holds on any server (the test server has no limit of its own).
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Api;

internal static class ApiBody
{
    /// <summary>The largest request body the API reads: 64 KiB, far above any real request.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The API's shapes, refusing what the client would tolerate: members it does not know, and duplicates.</summary>
    public static readonly PatchbayJsonContext Strict = new(new JsonSerializerOptions(PatchbayJsonContext.Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    });

    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        byte[] body = await ReadBytesAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo)
                ?? throw ApiRequestException.Invalid("body", "Missing body", $"the body must be a JSON object ({typeof(T).Name}), got null");
        }
        catch (JsonException e)
        {
            throw Malformed<T>(e);
        }
    }

    /// <summary>The body of a JSON merge patch (RFC 7396) as a document, checked to be an object.</summary>
    public static async Task<JsonDocument> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        byte[] body = await ReadBytesAsync(request, cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw Malformed<JsonDocument>(e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw ApiRequestException.Invalid("body", "Invalid body", "the body must be a JSON object");
        }

        return document;
    }

    /// <summary>A policy document's text: JSON, or YAML under Content-Type application/yaml (also text/yaml, application/x-yaml).</summary>
    public static async Task<string> ReadDocumentTextAsync(HttpRequest request, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetString(await ReadBytesAsync(request, cancellationToken, acceptYaml: true).ConfigureAwait(false));

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken, bool acceptYaml = false)
    {
        if (!request.HasJsonContentType() && !(acceptYaml && IsYaml(request.ContentType)))
        {
            throw new ApiRequestException(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"the body must be JSON (Content-Type: application/json){(acceptYaml ? " or YAML (application/yaml)" : "")}, got '{request.ContentType ?? "none"}'",
                "Content-Type");
        }

        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge(request.ContentLength.Value);
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(MaxBytes + 1, (int)(request.ContentLength ?? 4096)) + 1);
        try
        {
            while (buffer.WrittenCount <= MaxBytes)
            {
                int read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null, e);
        }

        if (buffer.WrittenCount > MaxBytes)
        {
            throw TooLarge(null);
        }

        if (buffer.WrittenCount == 0)
        {
            throw ApiRequestException.Invalid("body", "Missing body", "the body is empty; send a JSON object");
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsYaml(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim() is var mediaType
        && (mediaType.Equals("application/yaml", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("text/yaml", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("application/x-yaml", StringComparison.OrdinalIgnoreCase));

    private static ApiRequestException TooLarge(long? length, Exception? innerException = null) => new(
        StatusCodes.Status413PayloadTooLarge,
        "Body too large",
        length is long declared
            ? $"the body is {declared} bytes; at most {MaxBytes} are accepted"
            : $"the body is over {MaxBytes} bytes, the most accepted",
        "body",
        innerException);

    /// <summary>System.Text.Json ends its messages with " Path: ... | LineNumber: ..."; the detail says where already.</summary>
    private static string WithoutPosition(string message)
    {
        int position = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return position < 0 ? message : message[..position];
    }

    private static ApiRequestException Malformed<T>(JsonException e)
    {
        string field = ApiProblems.FieldOf(e.Path) ?? "body";
        return new ApiRequestException(
            StatusCodes.Status400BadRequest,
            "Malformed body",
            $"the body is not a valid {typeof(T).Name}{ApiProblems.Where(e)}: {WithoutPosition(e.Message)}",
            field,
            e);
    }
}

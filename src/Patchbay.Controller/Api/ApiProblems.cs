// Errors as RFC 9457 problem details (application/problem+json). Every refusal carries type, title, status
// and detail; one about a request field or query parameter also carries "field" (its name, as in "subnet"
// or "labels.app") and "errors" ({field: [message]}, the shape ASP.NET Core's validation problems use).
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Patchbay.Controller.State;

namespace Patchbay.Controller.Api;

/// <summary>A request the API layer refuses before it reaches the state: a bad field, parameter, body or media type.</summary>
internal sealed class ApiRequestException : Exception
{
    public ApiRequestException()
    {
    }

    public ApiRequestException(string message)
        : base(message)
    {
    }

    public ApiRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ApiRequestException(int status, string title, string detail, string? field, Exception? innerException = null)
        : base(detail, innerException)
    {
        Status = status;
        Title = title;
        Field = field;
    }

    public int Status { get; } = StatusCodes.Status400BadRequest;

    public string Title { get; } = "Invalid request";

    public string? Field { get; }

    public static ApiRequestException Invalid(string field, string title, string detail) => new(StatusCodes.Status400BadRequest, title, detail, field);
}

internal static class ApiProblems
{
    /// <summary>
    /// The request field each of the state's refusals is about, by its title (a stable summary of the problem
    /// type). A title not listed here still answers with its status, without "field".
    /// </summary>
    private static readonly Dictionary<string, string> FieldByStateTitle = new(StringComparer.Ordinal)
    {
        ["Missing name"] = "name",
        ["Invalid name"] = "name",
        ["Tenant exists"] = "name",
        ["Network exists"] = "name",
        ["Endpoint exists"] = "name",
        ["Invalid label"] = "labels",
        ["Too many labels"] = "labels",
        ["Unknown tenant"] = "tenant",
        ["Wrong tenant"] = "tenant",
        ["Unknown network"] = "network",
        ["Subnet too small"] = "subnet",
        ["Subnet overlaps"] = "subnet",
        ["Invalid gateway"] = "gateway",
        ["Address outside subnet"] = "ip",
        ["Reserved address"] = "ip",
        ["Address taken"] = "ip",
        ["Invalid MAC"] = "mac",
        ["MAC taken"] = "mac",
        ["MACs exhausted"] = "mac",
        ["Datapath id taken"] = "datapathId",
        ["Port taken"] = "ovsPort",
    };

    public static IResult From(ControllerStateException exception) => Problem(
        exception.Error switch
        {
            StateError.NotFound => StatusCodes.Status404NotFound,
            StateError.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        },
        exception.Title,
        exception.Message,
        exception.Error == StateError.NotFound ? null : FieldByStateTitle.GetValueOrDefault(exception.Title));

    public static IResult From(ApiRequestException exception) => Problem(exception.Status, exception.Title, exception.Message, exception.Field);

    /// <summary>A problem-details result; with a field, also the "field" and "errors" members.</summary>
    public static IResult Problem(int status, string title, string detail, string? field = null)
    {
        if (field is null)
        {
            return Results.Problem(detail: detail, statusCode: status, title: title);
        }

        return Results.ValidationProblem(
            new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [detail] },
            detail: detail,
            statusCode: status,
            title: title,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field });
    }

    public static IResult NotFound(string what, string name) => From(ControllerStateException.NotFound(what, name));

    /// <summary>
    /// Runs a handler; a refusal of the API layer or of the state becomes its problem details, and a cancellation
    /// (the controller stopping, or the client hanging up while its body is read) a 503, never a 500.
    /// </summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (ApiRequestException e)
        {
            return From(e);
        }
        catch (ControllerStateException e)
        {
            return From(e);
        }
        catch (OperationCanceledException)
        {
            // Writes wait on the controller's stopping token (a committed change is then not half applied because a
            // client hung up); a hung-up client never reads this answer.
            return Problem(StatusCodes.Status503ServiceUnavailable, "Stopping", "the controller is stopping; the request was not completed, retry it once the controller is back");
        }
    }

    /// <summary>The synchronous form of <see cref="Guard(Func{Task{IResult}})"/>, for reads.</summary>
    public static IResult Guard(Func<IResult> handler)
    {
        try
        {
            return handler();
        }
        catch (ApiRequestException e)
        {
            return From(e);
        }
        catch (ControllerStateException e)
        {
            return From(e);
        }
    }

    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value)
            ? throw ApiRequestException.Invalid(field, "Missing field", $"'{field}' is required")
            : value;

    /// <summary>"$.labels.app" or "$['a b']" → "labels.app" / "a b"; null for the document itself.</summary>
    public static string? FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return null;
        }

        string path = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return path.Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal).TrimStart('.');
    }

    /// <summary>Where in the body a JSON error is, for the detail: "at line 1, byte 9 (name)".</summary>
    public static string Where(JsonException exception)
    {
        string at = exception.LineNumber is long line ? $" at line {line + 1}, byte {exception.BytePositionInLine + 1}" : string.Empty;
        return FieldOf(exception.Path) is string field ? $"{at} ('{field}')" : at;
    }
}

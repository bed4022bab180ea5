// Errors as RFC 9457 problem details (application/problem+json with title, detail and status), and the
// JSON body reader that turns a malformed body into one.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Patchbay.Controller.State;

namespace Patchbay.Controller.Api;

internal static class ApiProblems
{
    public static IResult From(ControllerStateException exception) => Results.Problem(
        detail: exception.Message,
        statusCode: exception.Error switch
        {
            StateError.NotFound => StatusCodes.Status404NotFound,
            StateError.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        },
        title: exception.Title);

    public static IResult NotFound(string what, string name) => From(ControllerStateException.NotFound(what, name));

    public static IResult Invalid(string title, string detail) => From(ControllerStateException.Invalid(title, detail));

    /// <summary>Runs a handler; a refusal of the state becomes its problem details.</summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (ControllerStateException e)
        {
            return From(e);
        }
    }

    /// <summary>Reads the JSON body; throws a 400-kind state exception when it is missing, not JSON, or not the expected shape.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw ControllerStateException.Invalid("Unsupported body", $"the body must be JSON (Content-Type: application/json), got '{request.ContentType ?? "none"}'");
        }

        try
        {
            return await request.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw ControllerStateException.Invalid("Missing body", $"the body must be a JSON {typeof(T).Name} object, got null");
        }
        catch (JsonException e)
        {
            throw ControllerStateException.Invalid("Malformed body", $"the body is not a valid {typeof(T).Name}: {e.Message}");
        }
    }

    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value)
            ? throw ControllerStateException.Invalid("Missing field", $"'{field}' is required")
            : value;
}

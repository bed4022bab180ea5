// Why the controller's state refused a change; the REST layer turns each kind into a problem-details status.
namespace Patchbay.Controller.State;

public enum StateError
{
    /// <summary>The named object does not exist (404).</summary>
    NotFound,

    /// <summary>The change collides with what exists: a taken name or address, an exhausted subnet, a network still in use (409).</summary>
    Conflict,

    /// <summary>The request itself is wrong: an address outside the subnet, a reserved address, a malformed value (400).</summary>
    Invalid,
}

public sealed class ControllerStateException : Exception
{
    public ControllerStateException()
    {
    }

    public ControllerStateException(string message)
        : base(message)
    {
    }

    public ControllerStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ControllerStateException(StateError error, string title, string message)
        : base(message)
    {
        Error = error;
        Title = title;
    }

    public StateError Error { get; } = StateError.Invalid;

    /// <summary>A short, stable summary of the problem type ("Address taken"); the message is the detail.</summary>
    public string Title { get; } = "Invalid request";

    public static ControllerStateException NotFound(string what, string name) =>
        new(StateError.NotFound, $"{what} not found", $"{what} '{name}' does not exist");

    public static ControllerStateException Conflict(string title, string detail) => new(StateError.Conflict, title, detail);

    public static ControllerStateException Invalid(string title, string detail) => new(StateError.Invalid, title, detail);
}

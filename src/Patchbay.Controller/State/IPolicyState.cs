// The controller's policy (docs/policy.md): groups, rules and connections, stored under /v1/policy/ beside
// the model (docs/store.md, "Model keys"), and the PolicyEngine compiled from them and the endpoints,
// which the first-packet path asks. Every change is one store transaction; a refused one stores nothing.
using Patchbay.Core.Policy;

namespace Patchbay.Controller.State;

/// <summary>What applying a document did to one of its objects.</summary>
public enum PolicyChange
{
    Created,
    Updated,
    Unchanged,
}

public sealed record PolicyObjectChange(PolicyObjectKind Kind, string Name, PolicyChange Change);

public interface IPolicyState
{
    /// <summary>
    /// The engine for the policies and endpoints as last committed. Compiled when first asked after a change
    /// (a burst of endpoint creations compiles once); immutable, so a caller may keep it for one decision.
    /// </summary>
    PolicyEngine CurrentPolicy { get; }

    /// <summary>
    /// Bumped after every committed change to the policies or the endpoints, and on a load or reload; the
    /// engine of <see cref="CurrentPolicy"/> read after this value reflects at least this generation.
    /// </summary>
    long PolicyGeneration { get; }

    /// <summary>
    /// Completes once <see cref="PolicyGeneration"/> is above <paramref name="seen"/> (at once if it already is).
    /// A burst of changes completes one wait: the waiter reads the generation again and sees them all.
    /// </summary>
    Task WaitForPolicyChangeAsync(long seen, CancellationToken cancellationToken);

    /// <summary>The stored groups, rules and connections.</summary>
    PolicySet Policies();

    /// <summary>
    /// Applies <paramref name="document"/>: each object replaces the stored one of its kind and name or is
    /// added; objects it does not name stay. Throws <see cref="PolicyDocumentException"/> (each error at its
    /// line) when the result is not valid, and Conflict when the document names an object another tenant owns.
    /// </summary>
    Task<IReadOnlyList<PolicyObjectChange>> ApplyPolicyAsync(PolicyDocument document, CancellationToken cancellationToken = default);

    /// <summary>NotFound when absent; Conflict while another object refers to it (a group named by a rule or connection).</summary>
    Task DeletePolicyObjectAsync(PolicyObjectKind kind, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the pair's connection (one per pair, in either order) to <paramref name="action"/>, keeping the
    /// name of an existing one. NotFound for an endpoint or group that does not exist; Invalid for a pair of
    /// two tenants. A null tenant is side a's; a null name is made from the pair.
    /// </summary>
    Task<(PairwiseConnection Connection, PolicyChange Change)> SetConnectionAsync(
        ConnectionTarget a,
        ConnectionTarget b,
        ConnectionAction action,
        string? tenant,
        string? name,
        CancellationToken cancellationToken = default);
}

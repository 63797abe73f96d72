using System.Text.Json.Nodes;

namespace Strata.Functions;

/// <summary>Whether an HTTP request may run its function: who the caller is, or the refusal to answer.</summary>
/// <param name="Identity">The caller as the run records it (<c>function-key</c>, <c>function-key:NAME</c>, an Entra ID identity); null when refused.</param>
/// <param name="Status">The HTTP status of the refusal (401, 403, 500); 200 when allowed.</param>
/// <param name="Problem">The refusal's problem body; null when allowed.</param>
public sealed record AuthorizationOutcome(string? Identity, int Status = 200, JsonObject? Problem = null)
{
    /// <summary>Whether the request may run.</summary>
    public bool Allowed => Problem is null;

    /// <summary>
    /// What the run records as its requester: the authenticated caller, followed by what the request body states when
    /// that says something else (a pipeline's run URL behind a shared key) — a stated name never replaces a proven one.
    /// The stated name is cleaned like a claim (<see cref="ClientPrincipal"/>: control characters dropped, length
    /// bounded): it comes from the body, unauthenticated, and lands in run records, logs and tables.
    /// </summary>
    public string RequestedBy(string? stated)
    {
        var cleaned = stated is null ? null : ClientPrincipal.Clean(stated);
        return string.IsNullOrWhiteSpace(cleaned) || cleaned == Identity ? Identity! : $"{Identity} (stated: {cleaned})";
    }
}

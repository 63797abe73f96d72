using System.Text.Json.Nodes;

namespace Strata.Adapters.Hosting;

/// <summary>
/// The HTTP functions' refusals as problem details (RFC 9457, <c>application/problem+json</c>): a stable <c>type</c>, a
/// <c>title</c>, the <c>status</c>, a <c>detail</c> saying what to do, and the facts that matter (the role required).
/// Nothing the caller sent in a credential is repeated.
/// </summary>
public static class Problems
{
    /// <summary>The content type of a problem body.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>A problem body.</summary>
    public static JsonObject Of(string type, string title, int status, string detail, string? requiredRole = null)
    {
        var problem = new JsonObject
        {
            ["type"] = "urn:strata:problem:" + type,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (requiredRole is not null)
        {
            problem["requiredRole"] = requiredRole;
        }

        return problem;
    }
}

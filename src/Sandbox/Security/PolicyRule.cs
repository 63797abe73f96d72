using System.Text.Json.Nodes;

namespace Strata.Sandbox.Security;

/// <summary>
/// One rule of a Role or ClusterRole (<c>rbac.authorization.k8s.io/v1</c> PolicyRule), matched as the
/// RBAC authorizer matches it: <c>*</c> for any verb, group, resource or URL; <c>*/status</c> for a
/// subresource of any resource; <c>resourceNames</c> only for requests that name an object;
/// a non-resource URL ending in <c>*</c> as a prefix.
/// </summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames, IReadOnlyList<string> NonResourceUrls)
{
    /// <summary>Whether this rule allows <paramref name="request"/>.</summary>
    public bool Allows(AccessRequest request)
    {
        if (!Verbs.Any(v => v == "*" || v == request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(u => u == "*" || u == request.Path || (u.EndsWith('*') && request.Path!.StartsWith(u[..^1], StringComparison.Ordinal)));
        }

        return ApiGroups.Any(g => g == "*" || g == request.Group)
            && Resources.Any(r => r == "*" || r == request.CombinedResource
                || (request.Subresource is { } sub && r.Length == sub.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(sub, StringComparison.Ordinal)))
            && (ResourceNames.Count == 0 || (request.Name is { } name && ResourceNames.Contains(name)));
    }

    /// <summary>Reads a rule from its JSON; absent lists are empty.</summary>
    public static PolicyRule Parse(JsonNode? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]),
        Strings(rule?["resourceNames"]), Strings(rule?["nonResourceURLs"]));

    /// <summary>The rules of a Role or ClusterRole object.</summary>
    public static IReadOnlyList<PolicyRule> Of(JsonObject role) =>
        role["rules"] is JsonArray rules ? [.. rules.Select(Parse)] : [];

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n?.GetValue<string>() ?? string.Empty)] : [];
}

using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Security;

/// <summary>
/// Decides a request with the RBAC objects the sandbox stores, as kube-apiserver's RBAC authorizer does:
/// ClusterRoleBindings grant their ClusterRole everywhere; a RoleBinding grants its Role (same namespace)
/// or ClusterRole only for requests in its own namespace. Subjects are users, groups and ServiceAccounts
/// (<c>system:serviceaccount:{namespace}:{name}</c>). A binding whose role does not exist grants nothing, and
/// the denial says so (<c>RBAC: clusterrole.rbac.authorization.k8s.io "x" not found</c>). A ClusterRole with an
/// <c>aggregationRule</c> holds the rules of the ClusterRoles its <c>matchLabels</c> select (and not its own, which
/// the aggregation controller would overwrite).
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store)
{
    private const string Group = "rbac.authorization.k8s.io";
    private readonly ConditionalWeakTable<StoredObject[], JsonObject[]> _parsed = new();

    /// <summary>Null when allowed; otherwise the reason kube-apiserver appends to the denial (often empty).</summary>
    public string? Authorize(SandboxUser user, AccessRequest request)
    {
        var errors = new List<string>();
        var clusterRoles = Objects("clusterroles");
        foreach (var binding in Objects("clusterrolebindings"))
        {
            if (AppliesTo(binding, user, bindingNamespace: null)
                && Rules(binding, null, clusterRoles, errors).Any(r => r.Allows(request)))
            {
                return null;
            }
        }

        if (request.Namespace is { } ns)
        {
            foreach (var binding in Objects("rolebindings").Where(b => Str(b["metadata"]?["namespace"]) == ns))
            {
                if (AppliesTo(binding, user, ns) && Rules(binding, ns, clusterRoles, errors).Any(r => r.Allows(request)))
                {
                    return null;
                }
            }
        }

        return errors.Count switch
        {
            0 => string.Empty,
            1 => $"RBAC: {errors[0]}",
            _ => $"RBAC: [{string.Join(", ", errors)}]",
        };
    }

    private IEnumerable<PolicyRule> Rules(JsonObject binding, string? ns, JsonObject[] clusterRoles, List<string> errors)
    {
        var kind = Str(binding["roleRef"]?["kind"]);
        var name = Str(binding["roleRef"]?["name"]) ?? string.Empty;
        if (kind == "Role" && ns is not null)
        {
            var role = Objects("roles").FirstOrDefault(r => Str(r["metadata"]?["namespace"]) == ns && Str(r["metadata"]?["name"]) == name);
            if (role is null)
            {
                errors.Add($"role.{Group} \"{name}\" not found");
                return [];
            }

            return PolicyRule.Of(role);
        }

        var clusterRole = kind == "ClusterRole" ? clusterRoles.FirstOrDefault(r => Str(r["metadata"]?["name"]) == name) : null;
        if (clusterRole is null)
        {
            errors.Add($"clusterrole.{Group} \"{name}\" not found");
            return [];
        }

        return clusterRole["aggregationRule"]?["clusterRoleSelectors"] is JsonArray selectors
            ? Aggregated(clusterRole, selectors, clusterRoles)
            : PolicyRule.Of(clusterRole);
    }

    // The rules of the ClusterRoles an aggregationRule selects: the aggregation controller replaces the role's own rules with them.
    private static IEnumerable<PolicyRule> Aggregated(JsonObject clusterRole, JsonArray selectors, JsonObject[] clusterRoles)
    {

        var labelSets = selectors.Select(s => s?["matchLabels"] as JsonObject).Where(s => s is { Count: > 0 }).ToList();
        return clusterRoles
            .Where(r => !ReferenceEquals(r, clusterRole) && r["metadata"]?["labels"] is JsonObject labels
                && labelSets.Any(s => s!.All(l => Str(labels[l.Key]) == Str(l.Value))))
            .SelectMany(PolicyRule.Of);
    }

    private static bool AppliesTo(JsonObject binding, SandboxUser user, string? bindingNamespace) =>
        binding["subjects"] is JsonArray subjects && subjects.Any(s => Str(s?["kind"]) switch
        {
            "User" => Str(s!["name"]) == user.Name,
            "Group" => Str(s!["name"]) is { } group && (user.Groups.Contains(group) || group == AccessControl.Authenticated),
            "ServiceAccount" => (Str(s!["namespace"]) is { Length: > 0 } sans ? sans : bindingNamespace) is { } saNamespace
                && user.Name == AccessControl.ServiceAccountUser(saNamespace, Str(s["name"]) ?? string.Empty),
            _ => false,
        });

    private JsonObject[] Objects(string plural)
    {
        var type = store.FindType(Group, plural)!;
        var snapshot = store.Open(type);
        return _parsed.GetValue(snapshot.Items, items => [.. items.Select(i => i.ToJson($"{Group}/v1", type.Kind))]);
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}

using System.Text.Json.Nodes;

namespace Strata.Sandbox.Security;

/// <summary>
/// The RBAC objects kube-apiserver bootstraps that every caller relies on: discovery (<c>/api</c>, <c>/apis</c>),
/// <c>/version</c> and health, and reviews of one's own access, bound to <c>system:authenticated</c>. So an identity
/// that may not list a type still discovers it: discovery is authorized apart from lists.
/// </summary>
internal static class DefaultRbac
{
    public static IEnumerable<JsonObject> Objects()
    {
        yield return ClusterRole("system:discovery", NonResource(
            "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"));
        yield return ClusterRole("system:public-info-viewer", NonResource("/healthz", "/livez", "/readyz", "/version", "/version/"));
        yield return ClusterRole("system:basic-user", new JsonObject
        {
            ["apiGroups"] = new JsonArray("authorization.k8s.io"),
            ["resources"] = new JsonArray("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            ["verbs"] = new JsonArray("create"),
        });
        foreach (var name in new[] { "system:discovery", "system:public-info-viewer", "system:basic-user" })
        {
            yield return new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRoleBinding",
                ["metadata"] = Metadata(name),
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
                ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = AccessControl.Authenticated }),
            };
        }
    }

    private static JsonObject NonResource(params string[] urls) =>
        new() { ["nonResourceURLs"] = new JsonArray([.. urls.Select(u => (JsonNode)u)]), ["verbs"] = new JsonArray("get") };

    private static JsonObject ClusterRole(string name, JsonObject rule) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray(rule),
    };

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };
}

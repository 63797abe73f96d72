using System.Text.Json.Nodes;
using Strata.Sandbox.Security;
using Strata.TestKit;

namespace Strata.Sandbox.Tests.Security;

/// <summary>
/// <see cref="AuthorizationMode.Rbac"/> over real HTTP: bindings, wildcards, subresources, resourceNames,
/// non-resource URLs and the wording and details of kube-apiserver's 403.
/// </summary>
public sealed class RbacAuthorizationTests : IAsyncLifetime
{
    private const string User = "system:serviceaccount:strata:backup";
    private SandboxApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxOptions { Authorization = AuthorizationMode.Rbac });
        _server.CreateNamespace("shop");
        _http = SandboxHttp.Create(_server, _server.Access.IssueServiceAccountToken("strata", "backup"));
        _server.Create(ConfigMap("a"));
        _server.Create(ConfigMap("b"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task List_WithoutAnyBinding_Answers403AsKubeApiserver()
    {
        var (code, status) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps");

        Assert.Equal(403, code);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps is forbidden: User \"system:serviceaccount:strata:backup\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"shop\"","reason":"Forbidden","details":{"kind":"configmaps"},"code":403}""",
            status.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task Get_Named_InAGroup_NamesTheObjectAndTheGroup()
    {
        var (code, status) = await _http.GetJsonAsync("/apis/apps/v1/namespaces/shop/deployments/web");

        Assert.Equal(403, code);
        Assert.Equal(
            $"deployments.apps \"web\" is forbidden: User \"{User}\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"shop\"",
            status["message"]!.GetValue<string>());
        Assert.Equal("""{"name":"web","group":"apps","kind":"deployments"}""", status["details"]!.ToJsonString());
    }

    [Fact]
    public async Task RoleBinding_GrantsItsRole_InItsNamespaceOnly()
    {
        _server.Create(Role("shop", "reader", Rule(["list"], [""], ["configmaps"])));
        _server.Create(RoleBinding("shop", "reader", "Role", "reader"));

        var (inShop, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps");
        var (inDefault, _) = await _http.GetJsonAsync("/api/v1/namespaces/default/configmaps");
        var (everywhere, status) = await _http.GetJsonAsync("/api/v1/configmaps");

        Assert.Equal((200, 403, 403), (inShop, inDefault, everywhere));
        Assert.Equal($"configmaps is forbidden: User \"{User}\" cannot list resource \"configmaps\" in API group \"\" at the cluster scope", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClusterRoleBinding_WithWildcards_GrantsEveryGroupAndResource_ButOnlyItsVerbs()
    {
        _server.Create(ClusterRole("lister", Rule(["list"], ["*"], ["*"])));
        _server.Create(ClusterRoleBinding("lister", "lister", Subject("ServiceAccount", "backup", "strata")));

        var (deployments, _) = await _http.GetJsonAsync("/apis/apps/v1/deployments");
        var (secrets, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/secrets");
        var (get, status) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps/a");

        Assert.Equal((200, 200, 403), (deployments, secrets, get));
        Assert.Contains("cannot get resource \"configmaps\"", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subresource_NeedsItsOwnRule_OrAStarSlashRule()
    {
        _server.Create(SampleApplication.Obj("v1", "Pod", "shop", "web-0", extra: o => o["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx" }),
        }));
        _server.Create(ClusterRole("pods", Rule(["get"], [""], ["pods"])));
        _server.Create(ClusterRoleBinding("pods", "pods", Subject("User", User)));

        var (pod, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/pods/web-0");
        var (denied, status) = await _http.GetJsonAsync("/api/v1/namespaces/shop/pods/web-0/status");
        _server.Create(ClusterRole("statuses", Rule(["get"], [""], ["*/status"])));
        _server.Create(ClusterRoleBinding("statuses", "statuses", Subject("User", User)));
        var (allowed, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/pods/web-0/status");

        Assert.Equal((200, 403, 200), (pod, denied, allowed));
        Assert.Equal($"pods \"web-0\" is forbidden: User \"{User}\" cannot get resource \"pods/status\" in API group \"\" in the namespace \"shop\"", status["message"]!.GetValue<string>());
        Assert.Equal("pods", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResourceNames_AllowOnlyRequestsThatNameThoseObjects()
    {
        _server.Create(Role("shop", "one", Rule(["get", "list"], [""], ["configmaps"], names: ["a"])));
        _server.Create(RoleBinding("shop", "one", "Role", "one"));

        var (a, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps/a");
        var (b, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps/b");
        var (list, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps");

        Assert.Equal((200, 403, 403), (a, b, list));
    }

    [Fact]
    public async Task WatchAndDeleteCollection_AreVerbsOfTheirOwn()
    {
        _server.Create(Role("shop", "list", Rule(["list", "delete"], [""], ["configmaps"])));
        _server.Create(RoleBinding("shop", "list", "Role", "list"));

        var (watch, watchStatus) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps?watch=true");
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/namespaces/shop/configmaps");
        using var response = await _http.SendAsync(request);
        var collection = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal((403, 403), (watch, (int)response.StatusCode));
        Assert.Contains("cannot watch resource \"configmaps\"", watchStatus["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("cannot deletecollection resource \"configmaps\"", collection["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_WorksForAnIdentityThatMayListNothing_ThroughTheDefaultDiscoveryRole()
    {
        var codes = new List<int>();
        foreach (var path in new[] { "/version", "/api", "/api/v1", "/apis", "/apis/apps/v1" })
        {
            codes.Add((await _http.GetJsonAsync(path)).Status);
        }

        Assert.All(codes, c => Assert.Equal(200, c));
        using var admin = SandboxHttp.Create(_server, _server.AdminToken);
        (await admin.DeleteAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:discovery")).EnsureSuccessStatusCode();
        var (denied, status) = await _http.GetJsonAsync("/apis");
        Assert.Equal(403, denied);
        Assert.Equal($"forbidden: User \"{User}\" cannot get path \"/apis\"", status["message"]!.GetValue<string>());
        Assert.Equal("{}", status["details"]!.ToJsonString());
    }

    [Fact]
    public async Task Binding_ToAMissingRole_GrantsNothing_AndTheDenialSaysSo()
    {
        _server.Create(ClusterRoleBinding("ghostly", "ghost", Subject("Group", "system:serviceaccounts:strata")));

        var (code, status) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps");

        Assert.Equal(403, code);
        Assert.EndsWith(": RBAC: clusterrole.rbac.authorization.k8s.io \"ghost\" not found", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupSubjects_AndAggregatedClusterRoles_Grant()
    {
        _server.Create(ClusterRole("part", Rule(["get"], [""], ["configmaps"]), labels: new() { ["strata.dev/aggregate-to-reader"] = "true" }));
        var aggregate = ClusterRole("reader", Rule(["delete"], [""], ["configmaps"]));
        aggregate["aggregationRule"] = JsonNode.Parse("""{"clusterRoleSelectors":[{"matchLabels":{"strata.dev/aggregate-to-reader":"true"}}]}""");
        _server.Create(aggregate);
        _server.Create(ClusterRoleBinding("reader", "reader", Subject("Group", "system:serviceaccounts:strata")));

        var (get, _) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps/a");
        using var response = await _http.DeleteAsync("/api/v1/namespaces/shop/configmaps/a");

        // The aggregation controller replaces an aggregated role's own rules with the selected roles' rules.
        Assert.Equal((200, 403), (get, (int)response.StatusCode));
    }

    [Fact]
    public async Task NamespaceByName_IsInItself_SoARoleBindingThereMayDeleteIt()
    {
        _server.CreateNamespace("scratch");
        _server.Create(Role("scratch", "self", Rule(["get", "delete"], [""], ["namespaces"])));
        _server.Create(RoleBinding("scratch", "self", "Role", "self"));

        var (own, _) = await _http.GetJsonAsync("/api/v1/namespaces/scratch");
        var (other, status) = await _http.GetJsonAsync("/api/v1/namespaces/shop");

        Assert.Equal((200, 403), (own, other));
        Assert.Equal($"namespaces \"shop\" is forbidden: User \"{User}\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"shop\"", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Masters_MayDoEverything()
    {
        using var admin = SandboxHttp.Create(_server, _server.AdminToken);

        var (code, _) = await admin.GetJsonAsync("/api/v1/secrets");

        Assert.Equal(200, code);
    }

    private static JsonObject ConfigMap(string name) =>
        SampleApplication.Obj("v1", "ConfigMap", "shop", name, extra: o => o["data"] = new JsonObject { ["k"] = "v" });

    private static JsonObject Rule(string[] verbs, string[] groups, string[] resources, string[]? names = null)
    {
        var rule = new JsonObject
        {
            ["apiGroups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]),
            ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
        };
        if (names is not null)
        {
            rule["resourceNames"] = new JsonArray([.. names.Select(n => (JsonNode)n)]);
        }

        return rule;
    }

    private static JsonObject Role(string ns, string name, JsonObject rule) =>
        SampleApplication.Obj("rbac.authorization.k8s.io/v1", "Role", ns, name, extra: o => o["rules"] = new JsonArray(rule));

    private static JsonObject ClusterRole(string name, JsonObject rule, Dictionary<string, string>? labels = null) =>
        SampleApplication.Obj("rbac.authorization.k8s.io/v1", "ClusterRole", null, name, labels, extra: o => o["rules"] = new JsonArray(rule));

    private static JsonObject Subject(string kind, string name, string? ns = null)
    {
        var subject = new JsonObject { ["kind"] = kind, ["name"] = name };
        if (ns is not null)
        {
            subject["namespace"] = ns;
        }

        return subject;
    }

    private static JsonObject RoleBinding(string ns, string name, string roleKind, string role) =>
        SampleApplication.Obj("rbac.authorization.k8s.io/v1", "RoleBinding", ns, name, extra: o =>
        {
            o["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = role };
            o["subjects"] = new JsonArray(Subject("ServiceAccount", "backup", "strata"));
        });

    private static JsonObject ClusterRoleBinding(string name, string role, JsonObject subject) =>
        SampleApplication.Obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, name, extra: o =>
        {
            o["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role };
            o["subjects"] = new JsonArray(subject);
        });
}

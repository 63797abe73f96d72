using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.TestKit;

namespace Strata.Sandbox.Tests;

public class SandboxApiServerTests : IAsyncLifetime
{
    private SandboxApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        _http = SandboxHttp.Create(_server, _server.AdminToken);
        _server.CreateNamespace("shop");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static JsonObject ConfigMap(string name, string? tier = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (tier is not null)
        {
            metadata["labels"] = new JsonObject { ["tier"] = tier };
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = new JsonObject { ["k"] = "v" } };
    }

    [Fact]
    public async Task Discovery_Documents_HaveTheServerShapes()
    {
        var (_, version) = await _http.GetJsonAsync("/version");
        var (_, api) = await _http.GetJsonAsync("/api");
        var (_, apis) = await _http.GetJsonAsync("/apis");
        var (_, core) = await _http.GetJsonAsync("/api/v1");

        Assert.Equal("v1.31.4", version["gitVersion"]!.GetValue<string>());
        Assert.Equal("APIVersions", api["kind"]!.GetValue<string>());
        Assert.Equal("APIGroupList", apis["kind"]!.GetValue<string>());
        var autoscaling = apis["groups"]!.AsArray().First(g => g!["name"]!.GetValue<string>() == "autoscaling")!;
        Assert.Equal("autoscaling/v2", autoscaling["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        Assert.Equal("APIResourceList", core["kind"]!.GetValue<string>());
        var resources = core["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("configmaps", resources);
        Assert.Contains("pods/log", resources);
    }

    [Fact]
    public async Task Create_SetsServerFields_AndListItemsOmitTypeMeta()
    {
        var (status, created) = await _http.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", ConfigMap("a"));
        var (_, list) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps");

        Assert.Equal(201, status);
        var metadata = created["metadata"]!.AsObject();
        Assert.True(Guid.TryParse(metadata["uid"]!.GetValue<string>(), out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", metadata["creationTimestamp"]!.GetValue<string>());
        Assert.NotNull(metadata["resourceVersion"]);
        Assert.Equal("Update", metadata["managedFields"]![0]!["operation"]!.GetValue<string>());
        Assert.Equal("ConfigMapList", list["kind"]!.GetValue<string>());
        var item = list["items"]![0]!.AsObject();
        Assert.Null(item["kind"]);
        Assert.Null(item["apiVersion"]);
    }

    [Fact]
    public async Task Errors_AreStatusObjectsWithRealReasonsAndCodes()
    {
        await _http.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", ConfigMap("dup"));

        var (missingCode, missing) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps/nope");
        var (dupCode, dup) = await _http.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", ConfigMap("dup"));
        var (invalidCode, invalid) = await _http.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", ConfigMap("Not_Valid"));
        var stale = ConfigMap("dup");
        stale["metadata"]!["resourceVersion"] = "1";
        var (conflictCode, conflict) = await _http.SendJsonAsync(HttpMethod.Put, "/api/v1/namespaces/shop/configmaps/dup", stale);
        var (nsCode, ns) = await _http.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/ghost/configmaps", ConfigMap("x"));

        Assert.Equal((404, "NotFound", "configmaps \"nope\" not found"), (missingCode, missing["reason"]!.GetValue<string>(), missing["message"]!.GetValue<string>()));
        Assert.Equal("Status", missing["kind"]!.GetValue<string>());
        Assert.Equal("Failure", missing["status"]!.GetValue<string>());
        Assert.Equal(404, missing["code"]!.GetValue<int>());
        Assert.Equal((409, "AlreadyExists"), (dupCode, dup["reason"]!.GetValue<string>()));
        Assert.Equal((422, "Invalid"), (invalidCode, invalid["reason"]!.GetValue<string>()));
        Assert.Equal("metadata.name", invalid["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal((409, "Conflict"), (conflictCode, conflict["reason"]!.GetValue<string>()));
        Assert.Equal((404, "namespaces \"ghost\" not found"), (nsCode, ns["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Forbidden_SaysWhichVerbOnWhichResource()
    {
        _server.Access.Deny("list", "apps", "deployments");

        var (code, status) = await _http.GetJsonAsync("/apis/apps/v1/namespaces/shop/deployments");

        Assert.Equal(403, code);
        Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
        Assert.Equal(
            "deployments.apps is forbidden: User \"sandbox-admin\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"shop\"",
            status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_PagesOverAConsistentSnapshot_And410AfterCompaction()
    {
        for (var i = 0; i < 7; i++)
        {
            _server.Create(WithNs(ConfigMap($"cm-{i}"), "shop"));
        }

        var (_, first) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps?limit=3");
        var token = first["metadata"]!["continue"]!.GetValue<string>();
        _server.Create(WithNs(ConfigMap("cm-00-late"), "shop")); // after the snapshot: must not appear
        var (_, second) = await _http.GetJsonAsync($"/api/v1/namespaces/shop/configmaps?limit=3&continue={token}");
        var token2 = second["metadata"]!["continue"]!.GetValue<string>();
        var (_, third) = await _http.GetJsonAsync($"/api/v1/namespaces/shop/configmaps?limit=3&continue={token2}");

        var names = new[] { first, second, third }.SelectMany(p => p["items"]!.AsArray()).Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"), names);
        Assert.Null(third["metadata"]!["continue"]);

        _server.Store.Compact();
        var (expiredCode, expired) = await _http.GetJsonAsync($"/api/v1/namespaces/shop/configmaps?limit=3&continue={token}");
        Assert.Equal(410, expiredCode);
        Assert.Equal("Expired", expired["reason"]!.GetValue<string>());
        Assert.NotNull(expired["metadata"]!["continue"]);
    }

    [Fact]
    public async Task List_LabelAndFieldSelectors_Filter()
    {
        _server.Create(WithNs(ConfigMap("web", "frontend"), "shop"));
        _server.Create(WithNs(ConfigMap("redis", "cache"), "shop"));
        _server.Create(WithNs(ConfigMap("plain"), "shop"));

        async Task<List<string>> Names(string query)
        {
            var (_, list) = await _http.GetJsonAsync("/api/v1/configmaps?" + query);
            return [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];
        }

        Assert.Equal(["plain", "web"], await Names("labelSelector=" + Uri.EscapeDataString("tier!=cache")));
        Assert.Equal(["redis", "web"], await Names("labelSelector=" + Uri.EscapeDataString("tier in (frontend,cache)")));
        Assert.Equal(["plain"], await Names("labelSelector=" + Uri.EscapeDataString("!tier")));
        Assert.Equal(["web"], await Names("fieldSelector=metadata.name%3Dweb"));
        Assert.Equal(["plain", "redis", "web"], await Names("fieldSelector=metadata.namespace%3Dshop"));
        var (badCode, _) = await _http.GetJsonAsync("/api/v1/configmaps?fieldSelector=spec.x%3Dy");
        Assert.Equal(400, badCode);
    }

    [Fact]
    public async Task CustomResourceDefinition_ServesItsResourceAndIsEstablished()
    {
        var (code, crd) = await _http.SendJsonAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", SampleApplication.WidgetCrd());
        var (_, group) = await _http.GetJsonAsync("/apis/demo.strata.dev/v1");
        var (createCode, _) = await _http.SendJsonAsync(HttpMethod.Post, "/apis/demo.strata.dev/v1/namespaces/shop/widgets", SampleApplication.Widget("shop", "w1", 1));
        var (_, list) = await _http.GetJsonAsync("/apis/demo.strata.dev/v1/widgets");

        Assert.Equal(201, code);
        Assert.Contains(crd["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");
        Assert.Equal("widgets", group["resources"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(201, createCode);
        Assert.Equal("Widget", list["items"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Authentication_NoCredentials401_ClientCertificateAccepted()
    {
        using var anonymous = SandboxHttp.Create(_server);
        var (code, status) = await anonymous.GetJsonAsync("/api/v1/namespaces");
        Assert.Equal((401, "Unauthorized"), (code, status["reason"]!.GetValue<string>()));

        var (certPem, keyPem) = _server.Certificates.IssueClientCertificate("alice", ["dev"]);
        using var cert = X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPem(certPem, keyPem).Export(X509ContentType.Pkcs12), null);
        _server.Access.Deny("list", "", "secrets", user: "alice");
        using var alice = SandboxHttp.Create(_server, clientCertificate: cert);
        var (okCode, _) = await alice.GetJsonAsync("/api/v1/namespaces");
        var (deniedCode, denied) = await alice.GetJsonAsync("/api/v1/secrets");
        Assert.Equal(200, okCode);
        Assert.Equal(403, deniedCode);
        Assert.Contains("User \"alice\"", denied["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Faults_429CarriesRetryAfter()
    {
        _server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", Kind = FaultKind.TooManyRequests, RetryAfterSeconds = 7 });

        using var response = await _http.GetAsync("/api/v1/configmaps");

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task StopAndResumeListening_SamePortDataCaAndTokens()
    {
        _server.Create(WithNs(ConfigMap("kept"), "shop"));
        var url = _server.Url;

        await _server.StopListeningAsync();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync("/api/v1/namespaces/shop/configmaps/kept"));
        await _server.ResumeListeningAsync();
        var (code, kept) = await _http.GetJsonAsync("/api/v1/namespaces/shop/configmaps/kept");

        Assert.Equal(HttpRequestError.ConnectionError, refused.HttpRequestError);
        Assert.Equal(url, _server.Url);
        Assert.Equal((200, "kept"), (code, kept["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Faults_Restart_CutsTheRequestAndServesAgainAfterTheDowntime()
    {
        _server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", Kind = FaultKind.Restart, Delay = TimeSpan.FromMilliseconds(300) });

        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync("/api/v1/configmaps"));
        await _server.WaitForRestartAsync();
        var (code, _) = await _http.GetJsonAsync("/api/v1/configmaps");

        Assert.Equal(200, code);
    }

    [Fact]
    public async Task Patch_MergeAndJsonPatch_Apply()
    {
        _server.Create(WithNs(ConfigMap("p"), "shop"));

        var (mergeCode, merged) = await _http.SendJsonAsync(HttpMethod.Patch, "/api/v1/namespaces/shop/configmaps/p",
            new JsonObject { ["data"] = new JsonObject { ["k2"] = "v2" } }, "application/merge-patch+json");
        var (jsonCode, patched) = await _http.SendJsonAsync(HttpMethod.Patch, "/api/v1/namespaces/shop/configmaps/p",
            new JsonArray(new JsonObject { ["op"] = "remove", ["path"] = "/data/k" }), "application/json-patch+json");

        Assert.Equal(200, mergeCode);
        Assert.Equal("v2", merged["data"]!["k2"]!.GetValue<string>());
        Assert.Equal(200, jsonCode);
        Assert.Null(patched["data"]!["k"]);
    }

    [Fact]
    public async Task Services_SeededAndCreatedOverHttp_GetDistinctClusterIps()
    {
        var seeded = _server.Create(SampleApplication.Service("shop", "seeded", "backend"));
        var (_, created) = await _http.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces/shop/services", SampleApplication.Service("shop", "posted", "backend"));

        Assert.NotEqual(seeded["spec"]!["clusterIP"]!.GetValue<string>(), created["spec"]!["clusterIP"]!.GetValue<string>());
    }

    private static JsonObject WithNs(JsonObject obj, string ns)
    {
        obj["metadata"]!["namespace"] = ns;
        return obj;
    }
}

using System.Text.Json.Nodes;
using k8s;
using Strata.Adapters.Kubernetes;
using Strata.Core.Etcd;
using Strata.Core.Kubernetes;
using KubernetesClient = Strata.Adapters.Kubernetes.KubernetesClient;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// The create and delete of Namespaces and Pods go through the SDK's typed calls (CoreV1) with
/// Strata's retries around them; their gets stay raw. The loopback server answers with a field no
/// model knows (<c>futureField</c>): a typed call's answer has lost it, a raw call's keeps it — that
/// is how these tests tell one path from the other.
/// </summary>
public sealed class KubernetesClientTypedTests : IDisposable
{
    private static readonly ApiResource Namespaces = new("", "v1", "namespaces", "Namespace", false, ["create", "delete", "get"]);
    private static readonly ApiResource Pods = new("", "v1", "pods", "Pod", true, ["create", "delete", "get"]);
    private readonly LoopbackApiServer _server = new();
    private readonly KubernetesClient _client;

    public KubernetesClientTypedTests()
    {
        var connection = new ClusterConnection
        {
            Name = "loopback",
            Configuration = new KubernetesClientConfiguration { Host = _server.Url.ToString(), AccessToken = "loopback-token" },
        };
        _client = new KubernetesClient(connection, new KubernetesClientOptions { BaseDelay = TimeSpan.FromMilliseconds(10) });
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private static string Pod(string ns, string name, string phase) =>
        $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"u-1","creationTimestamp":"2026-11-30T17:00:00Z"},"spec":{"containers":[{"name":"main","image":"postgres"}],"futureField":1},"status":{"phase":"{{{phase}}}","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-30T17:00:05Z"}]}}""";

    private static string Namespace(string name, string phase) =>
        $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}","uid":"u-2","creationTimestamp":"2026-11-30T17:00:00Z"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"{{{phase}}}"},"futureField":1}""";

    [Fact]
    public async Task GetAsync_Pod_IsRawAsTheServerSentItAndRetriedAfterA503()
    {
        var sent = Pod("db", "postgres-0", "Running");
        _server.Unavailable().Answer(200, sent);

        var pod = await _client.GetAsync(Pods, "db", "postgres-0");

        Assert.NotNull(pod);
        Assert.Equal(("postgres-0", "Running", "u-1"), (pod.Name, pod.GetString("status.phase"), pod.Uid));
        Assert.Equal(1, pod.Json["spec"]!["futureField"]!.GetValue<int>()); // a V1Pod would have dropped it
        Assert.Equal(JsonNode.Parse(sent)!.ToJsonString(), pod.Json.ToJsonString()); // timestamps as sent, too
        Assert.Equal(["GET /api/v1/namespaces/db/pods/postgres-0", "GET /api/v1/namespaces/db/pods/postgres-0"], _server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    [Fact]
    public async Task GetAsync_Namespace_IsRawAsTheServerSentIt()
    {
        var sent = Namespace("shop", "Active");
        _server.Answer(200, sent);

        var found = await _client.GetAsync(Namespaces, null, "shop");

        Assert.NotNull(found);
        Assert.Equal(1, found.Json["futureField"]!.GetValue<int>()); // a V1Namespace would have dropped it
        Assert.Equal(JsonNode.Parse(sent)!.ToJsonString(), found.Json.ToJsonString());
    }

    [Fact]
    public async Task GetAsync_MissingNamespace_IsNullAndAForbiddenOneKeepsTheServersStatus()
    {
        _server.Answer(404, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"namespaces \"gone\" not found","reason":"NotFound","code":404}""")
            .Answer(403, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"namespaces \"secret\" is forbidden: User \"drill\" cannot get resource \"namespaces\"","reason":"Forbidden","code":403}""");

        var missing = await _client.GetAsync(Namespaces, null, "gone");
        var forbidden = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.GetAsync(Namespaces, null, "secret"));

        Assert.Null(missing);
        Assert.Equal((403, "Forbidden"), (forbidden.StatusCode, forbidden.Reason));
        Assert.Contains("cannot get resource \"namespaces\"", forbidden.Message);
        Assert.Equal("Status", forbidden.Status?["kind"]?.GetValue<string>());
        Assert.Equal(2, _server.Requests.Count); // a 403 is not retried
    }

    [Fact]
    public async Task CreateAsync_DrillNamespace_IsTheTypedCreateRetriedAfterA503WithDryRunKept()
    {
        _server.Unavailable().Answer(201, Namespace("drill-shop", "Active"));
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = "drill-shop", ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = "drill-shop" } },
        };

        var created = await _client.CreateAsync(Namespaces, null, body, dryRun: true);

        Assert.Equal("drill-shop", created.Name);
        Assert.Null(created.Json["futureField"]); // the SDK's V1Namespace
        Assert.Equal(["POST /api/v1/namespaces?dryRun=All", "POST /api/v1/namespaces?dryRun=All"], _server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.Equal("drill-shop", JsonNode.Parse(_server.Requests[1].Body)!["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateAsync_ControlPlaneFilesPod_IsTheTypedCreate()
    {
        var settings = new ControlPlaneFilesSettings { Image = "registry.k8s.io/pause:3.10" };
        var body = ControlPlaneFilesPod.Build(settings, "cp-1", "strata-cp-files-0a1b2c3d-abc123", "backup-abc123");
        _server.Answer(201, Pod("kube-system", "strata-cp-files-0a1b2c3d-abc123", "Pending"));

        var created = await _client.CreateAsync(Pods, "kube-system", body);

        Assert.Null(created.Json["spec"]!["futureField"]);
        Assert.True(JsonNode.DeepEquals(body, JsonNode.Parse(_server.Requests.Single().Body)), "the body reached the server whole");
    }

    [Fact]
    public async Task CreateAsync_PodWithAFieldTheModelLacks_GoesRawAndWhole()
    {
        var body = JsonNode.Parse(Pod("shop", "web-0", "Pending"))!.AsObject();
        _server.Answer(201, Pod("shop", "web-0", "Pending"));

        var created = await _client.CreateAsync(Pods, "shop", body);

        Assert.Equal(1, JsonNode.Parse(_server.Requests.Single().Body)!["spec"]!["futureField"]!.GetValue<int>());
        Assert.Equal(1, created.Json["spec"]!["futureField"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeleteAsync_NamespaceAnsweredWithTheTerminatingNamespace_IsTheTypedDeleteRetriedAfterA503()
    {
        // kube-apiserver answers a namespace DELETE with the namespace (status.phase an object), not a Status.
        _server.Unavailable().Answer(200, Namespace("drill-shop", "Terminating"))
            .Answer(404, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"gone\" not found","reason":"NotFound","code":404}""");

        var deleted = await _client.DeleteAsync(Namespaces, null, "drill-shop");
        var missing = await _client.DeleteAsync(Pods, "kube-system", "gone");

        Assert.True(deleted);
        Assert.False(missing);
        Assert.Equal(
            ["DELETE /api/v1/namespaces/drill-shop", "DELETE /api/v1/namespaces/drill-shop", "DELETE /api/v1/namespaces/kube-system/pods/gone"],
            _server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Sandbox;
using Strata.Sandbox.Http;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Kubernetes;

public class KubernetesClientTests : IAsyncLifetime
{
    private static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, ["list", "get", "create"]);
    private readonly SandboxFixture _sandbox = new();

    private SandboxApiServer Server => _sandbox.Server;

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        Server.CreateNamespace("shop");
        for (var i = 0; i < 25; i++)
        {
            Server.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", $"cm-{i:D2}"));
        }
    }

    public Task DisposeAsync() => _sandbox.DisposeAsync();

    private static KubernetesClientOptions Fast => new() { BaseDelay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task Discover_FindsPreferredVersionsVerbsAndCustomResources()
    {
        Server.Create(SampleApplication.WidgetCrd());
        using var client = _sandbox.Client();

        var discovery = await client.DiscoverAsync();

        Assert.Empty(discovery.Failures);
        var hpa = discovery.PreferredResources.Single(r => r.Name == "horizontalpodautoscalers");
        Assert.Equal("v2", hpa.Version);
        Assert.Contains(discovery.Resources, r => r.Name == "horizontalpodautoscalers" && r.Version == "v1" && !r.IsPreferredVersion);
        Assert.Contains("deploy", discovery.Find("apps", "deployments")!.ShortNames);
        Assert.True(discovery.Find("demo.strata.dev", "widgets")!.Namespaced);
        Assert.False(discovery.Find("", "bindings")!.Supports("list"));
    }

    [Fact]
    public async Task List_Pages_SetTypeMetaOnItems()
    {
        using var client = _sandbox.Client();

        var items = await client.ListAsync(ConfigMaps, new ListRequest("shop", PageSize: 10)).ToListAsync();

        Assert.Equal(25, items.Count);
        Assert.All(items, i => Assert.Equal(("v1", "ConfigMap"), (i.ApiVersion, i.Kind)));
    }

    [Fact]
    public async Task List_ContinueTokenExpires_RestartsWithoutDuplicates()
    {
        using var client = _sandbox.Client();
        var seen = new List<string>();

        await foreach (var item in client.ListAsync(ConfigMaps, new ListRequest("shop", PageSize: 10)))
        {
            seen.Add(item.Name);
            if (seen.Count == 10)
            {
                Server.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", "cm-99-added"));
                Server.Store.Compact(); // the next page's token is now 410 Expired
            }
        }

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(26, seen.Count);
        Assert.Contains("cm-99-added", seen);
    }

    [Fact]
    public async Task List_429WithRetryAfter_IsRetriedAfterTheDelay()
    {
        Server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", Kind = FaultKind.TooManyRequests, RetryAfterSeconds = 1, Times = 1 });
        using var client = _sandbox.Client(options: Fast);
        var clock = Stopwatch.StartNew();

        var items = await client.ListAsync(ConfigMaps, new ListRequest("shop")).ToListAsync();

        Assert.Equal(25, items.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task List_PersistentServerError_SurfacesTransientStatusAfterRetries()
    {
        var fault = Server.Faults.Add(new FaultRule { Resource = "configmaps", Kind = FaultKind.InternalError, Times = -1 });
        using var client = _sandbox.Client(options: Fast with { MaxRetries = 2 });

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(ConfigMaps, new ListRequest("shop")).ToListAsync().AsTask());

        Assert.Equal((500, "InternalError", true), (error.StatusCode, error.Reason, error.IsTransient));
        Assert.Equal(3, fault.Hits);
        Assert.Equal("Status", error.Status?["kind"]?.GetValue<string>());
    }

    [Fact]
    public async Task Forbidden_IsNotRetried_AndKeepsTheServersMessage()
    {
        Server.Access.Deny("list", "", "configmaps");
        using var client = _sandbox.Client(options: Fast);
        var before = Server.RequestCount;

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(ConfigMaps, new ListRequest("shop")).ToListAsync().AsTask());

        Assert.Equal((403, "Forbidden", false), (error.StatusCode, error.Reason, error.IsTransient));
        Assert.Contains("cannot list resource \"configmaps\"", error.Message);
        Assert.Equal(1, Server.RequestCount - before);
    }

    [Fact]
    public async Task Crud_CreateGetPatchDelete_RoundTrip()
    {
        using var client = _sandbox.Client();
        var body = SampleApplication.Obj("v1", "ConfigMap", "shop", "crud");

        var created = await client.CreateAsync(ConfigMaps, "shop", body);
        var dry = await client.CreateAsync(ConfigMaps, "shop", SampleApplication.Obj("v1", "ConfigMap", "shop", "dry"), dryRun: true);
        var patched = await client.PatchAsync(ConfigMaps, "shop", "crud", PatchType.Merge, new JsonObject { ["data"] = new JsonObject { ["a"] = "b" } });
        var deleted = await client.DeleteAsync(ConfigMaps, "shop", "crud");

        Assert.NotNull(created.Uid);
        Assert.Equal("dry", dry.Name);
        Assert.Null(await client.GetAsync(ConfigMaps, "shop", "dry"));
        Assert.Equal("b", patched.GetString("data.a"));
        Assert.True(deleted);
        Assert.Null(await client.GetAsync(ConfigMaps, "shop", "crud"));
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateAsync(ConfigMaps, "shop", SampleApplication.Obj("v1", "ConfigMap", "shop", "cm-01")));
        Assert.Equal("AlreadyExists", conflict.Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientCertificate_EcAndRsaKeys_Authenticate(bool rsa)
    {
        var cert = Server.Certificates.IssueClientCertificate("cert-user", ["system:masters"], rsa);
        var connection = Kubeconfig.Parse(Server.Kubeconfig("sandbox", clientCertificate: cert), "cert kubeconfig").Resolve();
        using var client = new KubernetesClient(connection);

        var items = await client.ListAsync(ConfigMaps, new ListRequest("shop")).ToListAsync();

        Assert.Equal(25, items.Count);
    }

    [Fact]
    public async Task ExecPlugin_ReturningAClientCertificate_IsPresentedInTheHandshake()
    {
        var (certPem, keyPem) = Server.Certificates.IssueClientCertificate("exec-cert-user", ["system:masters"]);
        using var dir = new TempDirectory();
        var credential = dir.File("credential.json", new JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
            ["kind"] = "ExecCredential",
            ["status"] = new JsonObject { ["clientCertificateData"] = certPem, ["clientKeyData"] = keyPem },
        }.ToJsonString());
        var plugin = dir.File("plugin.sh", $"#!/bin/sh\ncat {credential}\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var yaml = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", $"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {plugin}

            """, StringComparison.Ordinal);
        Server.Access.Deny("list", "", "secrets", user: "exec-cert-user");
        using var client = new KubernetesClient(Kubeconfig.Parse(yaml, "exec kubeconfig").Resolve(), Fast);
        var secrets = new ApiResource("", "v1", "secrets", "Secret", true, ["list"]);

        var items = await client.ListAsync(ConfigMaps, new ListRequest("shop")).ToListAsync();
        var denied = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(secrets, new ListRequest("shop")).ToListAsync().AsTask());

        Assert.Equal(25, items.Count);
        Assert.Contains("User \"exec-cert-user\"", denied.Message); // the certificate's identity, not anonymous
    }

    [Fact]
    public async Task WrongCertificateAuthority_IsRefused()
    {
        await using var other = await SandboxApiServer.StartAsync();
        var yaml = Server.Kubeconfig().Replace(
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Server.Certificates.AuthorityPem)),
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(other.Certificates.AuthorityPem)), StringComparison.Ordinal);
        using var client = new KubernetesClient(Kubeconfig.Parse(yaml, "k").Resolve(), Fast with { MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetServerVersionAsync());

        Assert.Equal(0, error.StatusCode);
    }

    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task ExecPlugin_TokenIsCachedUntilExpiry_AndRefreshedAfter401(string apiVersion)
    {
        using var dir = new TempDirectory();
        var counter = Path.Combine(dir.Path, "runs");
        // The plugin hands out a token per run (token-1, token-2, ...) valid for an hour, and records
        // what it was given in KUBERNETES_EXEC_INFO.
        const string Credential = """{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"token-%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}""";
        var plugin = dir.File("plugin.sh", $$"""
            #!/bin/sh
            n=$(( $(cat {{counter}} 2>/dev/null || echo 0) + 1 ))
            echo $n > {{counter}}
            echo "$KUBERNETES_EXEC_INFO" > {{dir.Path}}/exec-info.json
            printf '{{Credential}}' "{{apiVersion}}" "$n"
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Server.Access.AcceptToken("token-1", "exec-user", "system:masters");
        var yaml = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", $"""
                exec:
                  apiVersion: {apiVersion}
                  command: {plugin}
                  interactiveMode: Never
                  provideClusterInfo: true

            """, StringComparison.Ordinal);
        using var client = new KubernetesClient(Kubeconfig.Parse(yaml, "exec kubeconfig").Resolve());

        await client.GetServerVersionAsync();
        await client.ListAsync(ConfigMaps, new ListRequest("shop")).ToListAsync();
        Assert.Equal("1", (await File.ReadAllTextAsync(counter)).Trim());
        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir.Path, "exec-info.json")))!;
        Assert.False(info["spec"]!["interactive"]!.GetValue<bool>());
        Assert.Equal(Server.Url.ToString().TrimEnd('/'), info["spec"]!["cluster"]!["server"]!.GetValue<string>());

        Server.Access.RevokeToken("token-1");
        Server.Access.AcceptToken("token-2", "exec-user", "system:masters");
        var items = await client.ListAsync(ConfigMaps, new ListRequest("shop")).ToListAsync();

        Assert.Equal(25, items.Count);
        Assert.Equal("2", (await File.ReadAllTextAsync(counter)).Trim());
    }

    [Fact]
    public void ExecPlugin_V1WithoutInteractiveMode_IsRejectedAtLoad()
    {
        var yaml = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: kubelogin

            """, StringComparison.Ordinal);

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml, "k").Resolve());

        Assert.Contains("interactiveMode is required", error.Message);
    }
}

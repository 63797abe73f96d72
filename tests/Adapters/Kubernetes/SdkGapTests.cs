using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Authentication;
using k8s.Autorest;
using k8s.Exceptions;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Sandbox;
using Strata.TestKit;
using KubernetesClient = Strata.Adapters.Kubernetes.KubernetesClient;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// Where KubernetesClient 21 falls short of what Strata's users rely on, each shown side by side:
/// the SDK alone, then Strata. Each gap is a piece Strata keeps (docs/kubernetes.md). When one of
/// these starts failing on the SDK side after an upgrade, the SDK has closed the gap and Strata's
/// piece can go.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class SdkGapTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();
    private readonly TempDirectory _dir = new();

    private SandboxApiServer Server => _sandbox.Server;

    public Task InitializeAsync() => _sandbox.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _dir.Dispose();
    }

    private static KubernetesClientConfiguration SdkConfig(string yaml, string? context = null) =>
        KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(yaml)), context);

    private static string WithTlsServerName(string yaml, string name) =>
        yaml.Replace("    certificate-authority-data:", $"    tls-server-name: {name}\n    certificate-authority-data:", StringComparison.Ordinal);

    [Fact]
    public async Task ServerCertificate_ForAnotherName_SdkAccepts_StrataRefuses()
    {
        // The sandbox's certificate is signed by the kubeconfig's CA but is not for this name.
        var yaml = WithTlsServerName(Server.Kubeconfig(), "not-in-the-certificate.example");
        using var sdk = new k8s.Kubernetes(SdkConfig(yaml));
        using var strata = new KubernetesClient(Kubeconfig.Parse(yaml, "k").Resolve(), new KubernetesClientOptions { MaxRetries = 0 });

        Assert.Equal("v1.31.4", (await sdk.Version.GetCodeAsync()).GitVersion);
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => strata.GetServerVersionAsync());
        Assert.Equal("Unreachable", refused.Reason);
    }

    [Fact]
    public void KubeconfigList_MissingFileAndRelativePaths_SdkFails_StrataMergesAsKubectl()
    {
        // a.yaml sets no current-context; b.yaml lives in its own folder and names its CA relative
        // to it, as kubeadm's files do, and its current-context is the merged one.
        var a = _dir.File("a.yaml", Server.Kubeconfig("a").Replace("current-context: a\n", string.Empty, StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(_dir.Path, "b"));
        File.WriteAllText(Path.Combine(_dir.Path, "b", "ca.crt"), Server.Certificates.AuthorityPem);
        var b = Path.Combine(_dir.Path, "b", "b.yaml");
        File.WriteAllText(b, Server.Kubeconfig("b").Replace(
            "certificate-authority-data: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Server.Certificates.AuthorityPem)),
            "certificate-authority: ca.crt",
            StringComparison.Ordinal));
        var withMissing = $"{a}:{_dir.Path}/missing.yaml:{b}";

        var previous = Environment.GetEnvironmentVariable("KUBECONFIG");
        try
        {
            // The SDK merges KUBECONFIG only in BuildDefaultConfig, from the process environment.
            Environment.SetEnvironmentVariable("KUBECONFIG", withMissing);
            Assert.Throws<KubeConfigException>(KubernetesClientConfiguration.BuildDefaultConfig); // a missing file is an error
            Environment.SetEnvironmentVariable("KUBECONFIG", $"{a}:{b}");
            Assert.Throws<FileNotFoundException>(KubernetesClientConfiguration.BuildDefaultConfig); // b's ca.crt looked for next to a.yaml
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", previous);
        }

        var strata = Kubeconfig.Load(environment: v => v == "KUBECONFIG" ? withMissing : null);
        Assert.Equal(["a", "b"], strata.ContextNames.Order());
        Assert.Single(strata.Resolve().Trust.CertificateAuthorities);
    }

    [Fact]
    public async Task ExecPlugin_SdkRunsItAtLoadWithoutClusterInfoAndSplitsArguments_StrataAsKubectl()
    {
        var record = Path.Combine(_dir.Path, "calls");
        var plugin = _dir.File("plugin.sh", $$$"""
            #!/bin/sh
            echo "$# $KUBERNETES_EXEC_INFO" >> {{{record}}}
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token"}}'
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Server.Access.AcceptToken("exec-token", "exec-user", "system:masters");
        var yaml = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", $"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {plugin}
                  args: ["--scope", "a b"]
                  interactiveMode: Never
                  provideClusterInfo: true

            """, StringComparison.Ordinal);

        _ = SdkConfig(yaml); // the SDK runs the plugin here, before any call
        var sdkCall = JsonNode.Parse((await File.ReadAllLinesAsync(record)).Single().Split(' ', 2)[1])!;
        var sdkArgs = (await File.ReadAllLinesAsync(record)).Single().Split(' ')[0];
        File.Delete(record);
        using var strata = new KubernetesClient(Kubeconfig.Parse(yaml, "k").Resolve());
        Assert.False(File.Exists(record)); // Strata runs it when a call needs a credential
        await strata.GetServerVersionAsync();
        var strataLine = (await File.ReadAllLinesAsync(record)).Single();
        var strataCall = JsonNode.Parse(strataLine.Split(' ', 2)[1])!;

        Assert.Equal("3", sdkArgs); // "a b" split in two
        Assert.Equal("ExecCredentials", sdkCall["kind"]!.GetValue<string>());
        Assert.Null(sdkCall["spec"]!["cluster"]);
        Assert.Equal("2", strataLine.Split(' ')[0]);
        Assert.Equal("ExecCredential", strataCall["kind"]!.GetValue<string>());
        Assert.Equal(Server.Url.ToString().TrimEnd('/'), strataCall["spec"]!["cluster"]!["server"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecPlugin_TokenRefused_SdkKeepsSendingIt_StrataRunsThePluginAgain()
    {
        var counter = Path.Combine(_dir.Path, "runs");
        var plugin = _dir.File("plugin.sh", $$$"""
            #!/bin/sh
            n=$(( $(cat {{{counter}}} 2>/dev/null || echo 0) + 1 ))
            echo $n > {{{counter}}}
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t-%s"}}' "$n"
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var yaml = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", $"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {plugin}

            """, StringComparison.Ordinal);
        foreach (var token in new[] { "t-1", "t-2", "t-3" })
        {
            Server.Access.AcceptToken(token, "exec-user", "system:masters");
        }

        using var sdk = new k8s.Kubernetes(SdkConfig(yaml)); // runs the plugin (t-1) while loading
        await sdk.CoreV1.ListNamespaceAsync(); // and again (t-2) for the first call
        using var strata = new KubernetesClient(Kubeconfig.Parse(yaml, "k").Resolve());
        await strata.GetServerVersionAsync(); // t-3

        // Both tokens in use are revoked; the plugin would hand out a valid one.
        Server.Access.RevokeToken("t-2");
        Server.Access.RevokeToken("t-3");
        Server.Access.AcceptToken("t-4", "exec-user", "system:masters");
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => sdk.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
        Assert.Equal("v1.31.4", (await strata.GetServerVersionAsync()).GitVersion); // 401, plugin again (t-4), retried
        Assert.Equal("4", (await File.ReadAllTextAsync(counter)).Trim());
    }

    [Fact]
    public void TokenFile_SdkHasNoSuchField_StrataReadsIt()
    {
        var token = _dir.File("token", Server.AdminToken);
        var yaml = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", $"    tokenFile: {token}\n", StringComparison.Ordinal);

        var sdk = Assert.Throws<KubeConfigException>(() => SdkConfig(yaml));
        var strata = Kubeconfig.Parse(yaml, "k").Resolve();

        Assert.Contains("does not have appropriate auth credentials", sdk.Message);
        Assert.NotNull(strata.RefreshableCredential);
    }

    [Fact]
    public async Task TokenFile_RotatedAndTheOldOneRevoked_SdkWaitsAMinute_StrataReadsItAtOnce()
    {
        var path = _dir.File("token", Server.AdminToken);
        var sdkConfig = new KubernetesClientConfiguration
        {
            Host = Server.Url.ToString(),
            SslCaCerts = [Server.Certificates.Authority],
            TokenProvider = new TokenFileAuth(path),
        };
        using var sdk = new k8s.Kubernetes(sdkConfig);
        var yaml = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", $"    tokenFile: {path}\n", StringComparison.Ordinal);
        using var strata = new KubernetesClient(Kubeconfig.Parse(yaml, "k").Resolve());
        await sdk.Version.GetCodeAsync();
        await strata.GetServerVersionAsync();

        Server.Access.RevokeToken(Server.AdminToken);
        await File.WriteAllTextAsync(path, Server.Access.IssueToken("rotated", "system:masters"));

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => sdk.CoreV1.ListNamespaceAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
        Assert.Equal("v1.31.4", (await strata.GetServerVersionAsync()).GitVersion); // 401, file read again, retried
    }

    [Fact]
    public async Task InCluster_TokenRotatedAndTheOldOneRevoked_SdkRefusedForAMinute_StrataReadsItAtOnce()
    {
        // InClusterConfig() reads the process environment and a fixed mount point, whose field is internal
        // ("internal for testing"): pointed at a folder here, so the SDK's own in-cluster path runs.
        var mount = typeof(KubernetesClientConfiguration).GetField("ServiceAccountPath", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("KubernetesClientConfiguration.ServiceAccountPath is gone: look at InClusterConfig() again");
        var mountBefore = mount.GetValue(null);
        var account = _dir.Path;
        var token = _dir.File("token", Server.AdminToken);
        _dir.File("ca.crt", Server.Certificates.AuthorityPem);
        _dir.File("namespace", "shop");
        var env = new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = Server.Url.Port.ToString(CultureInfo.InvariantCulture),
        };
        var envBefore = env.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            mount.SetValue(null, account);
            foreach (var (name, value) in env)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var sdkConfig = KubernetesClientConfiguration.InClusterConfig();
            using var sdk = new k8s.Kubernetes(sdkConfig);
            using var strata = new KubernetesClient(InClusterConfiguration.Load(env.GetValueOrDefault, account));
            await sdk.Version.GetCodeAsync();
            await strata.GetServerVersionAsync();

            Server.Access.RevokeToken(Server.AdminToken);
            await File.WriteAllTextAsync(token, Server.Access.IssueToken("rotated", "system:masters"));

            Assert.IsType<TokenFileAuth>(sdkConfig.TokenProvider); // read again once a minute, never on a 401
            Assert.NotNull(sdkConfig.SslCaCerts); // checked as ServerCertificate_ForAnotherName_SdkAccepts_StrataRefuses shows
            var refused = await Assert.ThrowsAsync<HttpOperationException>(() => sdk.CoreV1.ListNamespaceAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Response.StatusCode);
            Assert.Equal("v1.31.4", (await strata.GetServerVersionAsync()).GitVersion); // 401, the token read again, retried
        }
        finally
        {
            mount.SetValue(null, mountBefore);
            foreach (var (name, value) in envBefore)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [Fact]
    public void BasicAuthAndAuthProvider_SdkTakesThemOrFailsVaguely_StrataSaysWhy()
    {
        var basic = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", "    username: admin\n    password: secret\n", StringComparison.Ordinal);
        var provider = Server.Kubeconfig().Replace($"    token: {Server.AdminToken}\n", "    auth-provider:\n      name: azure\n      config: {}\n", StringComparison.Ordinal);

        Assert.Equal("admin", SdkConfig(basic).Username); // sent to a server that ignores it since 1.19
        var sdkProvider = Assert.Throws<KubeConfigException>(() => SdkConfig(provider));
        var strataBasic = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(basic, "k").Resolve());
        var strataProvider = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(provider, "k").Resolve());

        Assert.Contains("does not have appropriate auth credentials", sdkProvider.Message);
        Assert.Contains("basic authentication (username/password) is not supported", strataBasic.Message);
        Assert.DoesNotContain("secret", strataBasic.Message);
        Assert.Contains("auth-provider plugins were removed", strataProvider.Message);
    }

    [Fact]
    public void UnknownContext_SdkNamesNeitherFileNorChoices_Strata_Does()
    {
        var yaml = Server.Kubeconfig("prod");

        var sdk = Assert.Throws<KubeConfigException>(() => SdkConfig(yaml, "staging"));
        var caseFolded = SdkConfig(yaml, "PROD"); // kubectl: context "PROD" not found
        var strata = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml, "/home/me/.kube/config").Resolve("staging"));

        Assert.Equal("CurrentContext: staging not found in contexts in kubeconfig", sdk.Message);
        Assert.Equal("prod", caseFolded.CurrentContext);
        Assert.Equal("kubeconfig /home/me/.kube/config: context \"staging\" not found (known: prod)", strata.Message);
        Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml, "k").Resolve("PROD"));
    }

    [Fact]
    public async Task PodExec_Refused_SdkLosesTheStatus_StrataKeepsIt()
    {
        Server.Create(SampleApplication.Pod("default", "debug", null, "Running"));
        Server.Access.Deny("create", "", "pods/exec");
        using var sdk = new k8s.Kubernetes(SdkConfig(Server.Kubeconfig()));
        using var strata = _sandbox.Client();
        static Task ExecAsync(IKubernetes api) =>
            api.NamespacedPodExecAsync("debug", "default", "main", ["ls"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        var sdkError = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => ExecAsync(sdk));
        var strataError = await Assert.ThrowsAsync<KubernetesApiException>(() => ExecAsync(strata.Api));

        Assert.Equal("The server returned status code '403' when status code '101' was expected.", sdkError.Message);
        Assert.Equal((403, "Forbidden"), (strataError.StatusCode, strataError.Reason));
        Assert.Contains("cannot create resource \"pods/exec\"", strataError.Message);
    }

    [Fact]
    public async Task PodExec_AskedForV5_SdkDemuxerOpensV4_StrataOpensV5()
    {
        Server.Create(SampleApplication.Pod("default", "debug", null, "Running"));
        var seen = new List<string>();
        Server.BindExec("default", "debug", (session, _) =>
        {
            lock (seen)
            {
                seen.Add(session.Subprotocol);
            }

            return Task.FromResult(0);
        });
        using var strata = _sandbox.Client();

        // MuxedStreamNamespacedPodExecAsync drops its webSocketSubProtocol argument: v4 it is, and no way to close stdin.
        using (var demuxer = await strata.Api.MuxedStreamNamespacedPodExecAsync("debug", "default", ["true"], "main", tty: false, webSocketSubProtocol: "v5.channel.k8s.io"))
        {
            for (var i = 0; i < 200 && seen.Count == 0; i++)
            {
                await Task.Delay(25);
            }
        }

        await strata.ExecAsync(new Strata.Core.Commands.PodCommand("default", "debug", null, ["true"]), new Strata.Core.Commands.CommandStreams());

        Assert.Equal(["v4.channel.k8s.io", "v5.channel.k8s.io"], seen);
    }
}

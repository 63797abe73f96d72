using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Kubernetes;

public class ConnectionTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public ConnectionTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task InCluster_ServiceAccountFiles_Connect()
    {
        using var dir = new TempDirectory();
        dir.File("token", _sandbox.Server.AdminToken + "\n");
        dir.File("ca.crt", _sandbox.Server.Certificates.AuthorityPem);
        dir.File("namespace", "shop\n");
        var env = new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = _sandbox.Server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.True(InClusterConfiguration.IsAvailable(env.GetValueOrDefault, dir.Path));
        var connection = InClusterConfiguration.Load(env.GetValueOrDefault, dir.Path);
        using var client = new KubernetesClient(connection);

        Assert.Equal("shop", connection.Namespace);
        Assert.Equal("v1.31.4", (await client.GetServerVersionAsync()).GitVersion);
    }

    [Theory]
    [InlineData("kubernetes.default.svc", true)]
    [InlineData("not-in-the-certificate.example", false)]
    public async Task TlsServerName_IsWhatTheCertificateIsCheckedAgainst(string serverName, bool accepted)
    {
        var yaml = _sandbox.Server.Kubeconfig().Replace("    certificate-authority-data:", $"    tls-server-name: {serverName}\n    certificate-authority-data:", StringComparison.Ordinal);
        using var client = new KubernetesClient(Kubeconfig.Parse(yaml, "k").Resolve(), new KubernetesClientOptions { MaxRetries = 0 });

        if (accepted)
        {
            Assert.Equal("v1.31.4", (await client.GetServerVersionAsync()).GitVersion);
        }
        else
        {
            var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetServerVersionAsync());
            Assert.Equal("Unreachable", error.Reason);
        }
    }
}

using System.Security.Authentication;
using System.Text;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Commands;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Sandbox;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// kubeconfig's <c>tls-server-name</c> on the wire, against an API server reached at https://127.0.0.1:port whose
/// certificate is for <c>kubernetes.internal</c> only (a control plane behind a load balancer that routes by SNI): a
/// REST call and an exec WebSocket, each on a client's first connection, send that name as the TLS server name and
/// keep the URL's host as <c>Host</c>, as client-go does; a name the certificate is not for is refused on the certificate.
/// </summary>
public sealed class ServerNameConnectorTests : IAsyncLifetime
{
    private const string ServerName = "kubernetes.internal";
    private static readonly ApiResource Pods = new("", "v1", "pods", "Pod", true, ["list"]);
    private static readonly PodCommand Version = new("db", "pg-0", "postgres", ["pg_dump", "--version"]);
    private SandboxApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            ServerCertificateNames = [ServerName],
            PodExec = PodExecHandlers.Answer("pg_dump (PostgreSQL) 16.4\n"),
        });
        _server.CreateNamespace("db");
        _server.Create(SampleApplication.Pod("db", "pg-0", null, "Running", container: "postgres"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // As client-go addresses it: SNI tls-server-name, Host the URL's; HTTP/2 where the handler offers it (ALPN).
    private RequestAddress AsClientGo(string protocol) => new(ServerName, $"127.0.0.1:{_server.Url.Port}", protocol);

    [Fact]
    public async Task ListAsync_TlsServerNameTheCertificateIsFor_SentAsTheServerNameWithTheUrlsHost()
    {
        using var client = Client(ServerName);

        var pods = await client.ListAsync(Pods, new ListRequest("db")).ToListAsync();

        Assert.Equal("pg-0", Assert.Single(pods).Name);
        Assert.Equal([AsClientGo("HTTP/2")], _server.RequestAddresses);
    }

    [Fact]
    public async Task GetServerVersionAsync_TlsServerNameTheCertificateIsFor_TheSdksTypedCallSendsItToo()
    {
        using var client = Client(ServerName);

        var version = await client.GetServerVersionAsync();

        Assert.Equal("v1.31.4", version.GitVersion);
        Assert.Equal([AsClientGo("HTTP/2")], _server.RequestAddresses);
    }

    [Fact]
    public async Task ExecAsync_TlsServerNameTheCertificateIsFor_SentAsTheServerNameWithTheUrlsHost()
    {
        using var client = Client(ServerName);
        var stdout = new MemoryStream();

        var exit = await client.ExecAsync(Version, new CommandStreams(Stdout: (s, ct) => s.CopyToAsync(stdout, ct)));

        Assert.Equal((0, "pg_dump (PostgreSQL) 16.4\n"), (exit.ExitCode, Encoding.UTF8.GetString(stdout.ToArray())));
        Assert.Equal([AsClientGo("HTTP/1.1")], _server.RequestAddresses); // a WebSocket upgrade
    }

    [Fact]
    public async Task ListAsync_ClientCertificateAndTlsServerName_TheCertificateIsPresented()
    {
        var certificate = _server.Certificates.IssueClientCertificate("cert-user", ["system:masters"]);
        _server.Access.Deny("list", "", "pods", user: "cert-user");
        using var client = Client(ServerName, certificate);

        var denied = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(Pods, new ListRequest("db")).ToListAsync().AsTask());

        Assert.Contains("User \"cert-user\"", denied.Message); // the certificate's identity, not anonymous
        Assert.Equal([AsClientGo("HTTP/2")], _server.RequestAddresses);
    }

    [Theory]
    [InlineData("kubernetes.example")]
    [InlineData(null)] // the certificate does not name 127.0.0.1
    public async Task ListAsync_NameTheCertificateIsNotFor_RefusedOnTheCertificate(string? tlsServerName)
    {
        using var client = Client(tlsServerName);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ListAsync(Pods, new ListRequest("db")).ToListAsync().AsTask());

        Assert.Equal("Unreachable", error.Reason);
        Assert.Contains(Causes(error), e => e is AuthenticationException);
        Assert.Empty(_server.RequestAddresses);
    }

    [Theory]
    [InlineData("kubernetes.example")]
    [InlineData(null)]
    public async Task ExecAsync_NameTheCertificateIsNotFor_RefusedOnTheCertificate(string? tlsServerName)
    {
        using var client = Client(tlsServerName);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.ExecAsync(Version, new CommandStreams()));

        Assert.Equal("Unreachable", error.Reason);
        Assert.Contains(Causes(error), e => e is AuthenticationException);
        Assert.Empty(_server.RequestAddresses);
    }

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private KubernetesClient Client(string? tlsServerName, (string CertificatePem, string KeyPem)? clientCertificate = null)
    {
        var yaml = _server.Kubeconfig(clientCertificate: clientCertificate);
        if (tlsServerName is not null)
        {
            yaml = yaml.Replace("    certificate-authority-data:", $"    tls-server-name: {tlsServerName}\n    certificate-authority-data:", StringComparison.Ordinal);
        }

        return new KubernetesClient(Kubeconfig.Parse(yaml, "k").Resolve(), new KubernetesClientOptions { MaxRetries = 0 });
    }
}

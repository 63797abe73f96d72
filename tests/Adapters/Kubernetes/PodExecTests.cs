using System.Text;
using k8s;
using Strata.Sandbox;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// <c>pods/exec</c> over WebSocket through the client Strata builds (a later issue runs pg_dump
/// that way): the WebSocket goes through the client's own handler, so it trusts the kubeconfig's
/// CA and presents the same credentials as every other call.
/// </summary>
public class PodExecTests : IAsyncLifetime
{
    private SandboxApiServer _server = null!;
    private readonly List<PodExecRequest> _received = [];

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        _server.CreateNamespace("db");
        _server.Create(SampleApplication.Pod("db", "postgres-0", null, "Running", container: "postgres"));
        _server.BindExec("db", "postgres-0", async (session, ct) =>
        {
            lock (_received)
            {
                _received.Add(session.Request);
            }

            await session.Stdout.WriteAsync(Encoding.UTF8.GetBytes("pg_dump (PostgreSQL) 16.4\n"), ct);
            return session.Request.Command is [.., "--fail"] ? 3 : 0;
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Adapters.Kubernetes.KubernetesClient Client(string? kubeconfig = null) =>
        new(Adapters.Kubernetes.Configuration.Kubeconfig.Parse(kubeconfig ?? _server.Kubeconfig(), "test kubeconfig").Resolve());

    private static async Task<(int Exit, string Stdout)> ExecAsync(IKubernetes api, params string[] command)
    {
        var stdout = string.Empty;
        var exit = await api.NamespacedPodExecAsync("postgres-0", "db", "postgres", command, false, async (_, output, _) =>
        {
            using var reader = new StreamReader(output);
            stdout = await reader.ReadToEndAsync();
        }, CancellationToken.None);
        return (exit, stdout);
    }

    [Fact]
    public async Task Exec_OverWebSocket_StreamsStdoutAndTheExitCode()
    {
        using var client = Client();

        var (exit, stdout) = await ExecAsync(client.Api, "pg_dump", "--version");
        var (failed, _) = await ExecAsync(client.Api, "pg_dump", "--fail");

        Assert.Equal((0, "pg_dump (PostgreSQL) 16.4\n"), (exit, stdout));
        Assert.Equal(3, failed);
        var request = _received[0];
        Assert.Equal(("db", "postgres-0", "postgres"), (request.Namespace, request.Pod, request.Container));
        Assert.Equal(["pg_dump", "--version"], request.Command);
    }

    [Fact]
    public async Task Exec_WithTlsServerName_UsesTheSameTrustAsOtherCalls()
    {
        var yaml = _server.Kubeconfig().Replace("    certificate-authority-data:", "    tls-server-name: kubernetes.default.svc\n    certificate-authority-data:", StringComparison.Ordinal);
        using var client = Client(yaml);

        var (exit, _) = await ExecAsync(client.Api, "pg_dump", "--version");

        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Exec_ForbiddenPodsExec_FailsWithTheServersStatusBeforeTheUpgrade()
    {
        _server.Access.Deny("create", "", "pods/exec");
        using var client = Client();

        var error = await Assert.ThrowsAsync<Adapters.Kubernetes.KubernetesApiException>(() => ExecAsync(client.Api, "pg_dump", "--version"));

        Assert.Equal((403, "Forbidden"), (error.StatusCode, error.Reason));
        Assert.Contains("cannot create resource \"pods/exec\"", error.Message);

        Assert.Empty(_received);
    }
}

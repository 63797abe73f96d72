using System.Security.Cryptography;
using System.Text;
using Strata.Adapters.Kubernetes;
using Strata.Core.Commands;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// <see cref="KubernetesClient.ExecAsync"/> against the sandbox over real HTTPS, commands run as host
/// processes "in the pod": stdin over v5 and v4, exit codes and stderr, interrupted streams,
/// refusals, cancellation.
/// </summary>
public sealed class ExecTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();
    private readonly List<string> _subprotocols = [];
    private KubernetesClient _client = null!;

    private SandboxApiServer Server => _sandbox.Server;

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        Server.CreateNamespace("db");
        Server.Create(SampleApplication.Pod("db", "pg-0", null, "Running", container: "postgres"));
        Bind(Server, new HostProcessExec().RunAsync);
        _client = _sandbox.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static PodCommand InPod(params string[] command) => new("db", "pg-0", "postgres", command);

    [Fact]
    public async Task ExecAsync_StdinOverV5_ClosedAfterItsEnd()
    {
        var input = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

        var (exit, stdout) = await RunAsync(InPod("cat"), new MemoryStream(input));
        var (counted, count) = await RunAsync(InPod("wc", "-c"), new MemoryStream(input));

        Assert.Equal((0, 0), (exit.ExitCode, counted.ExitCode));
        Assert.Equal(SHA256.HashData(input), SHA256.HashData(stdout));
        Assert.Equal(input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(count).Trim());
        Assert.All(_subprotocols, p => Assert.Equal("v5.channel.k8s.io", p));
    }

    [Fact]
    public async Task ExecAsync_ServerBefore130_FallsBackToV4_StdinBoundedByTheCaller()
    {
        await using var old = await SandboxApiServer.StartAsync(new SandboxOptions { ExecSubprotocols = SandboxOptions.ExecSubprotocolsBefore130 });
        old.CreateNamespace("db");
        old.Create(SampleApplication.Pod("db", "pg-0", null, "Running", container: "postgres"));
        Bind(old, new HostProcessExec().RunAsync);
        using var client = new KubernetesClient(Adapters.Kubernetes.Configuration.Kubeconfig.Parse(old.Kubeconfig(), "k").Resolve());

        // v4 cannot close stdin: the command reads a known length, not to the end.
        var (exit, stdout) = await RunAsync(InPod("head", "-c", "5"), new MemoryStream("hello, world"u8.ToArray()), client);

        Assert.Equal((0, "hello"), (exit.ExitCode, Encoding.UTF8.GetString(stdout)));
        Assert.Equal(["v4.channel.k8s.io"], _subprotocols);
    }

    [Fact]
    public async Task ExecAsync_NonZeroExit_CodeAndTheTailOfStderr()
    {
        var script = "i=0; while [ $i -lt 2000 ]; do echo \"line $i\" >&2; i=$((i+1)); done; exit 7";

        var exit = await _client.ExecAsync(InPod("sh", "-c", script), new CommandStreams(StderrLimit: 100));

        Assert.Equal(7, exit.ExitCode);
        Assert.Null(exit.Failure);
        Assert.InRange(Encoding.UTF8.GetByteCount(exit.Stderr), 90, 100);
        Assert.EndsWith("line 1998\nline 1999\n", exit.Stderr);
        Assert.Equal("exited 7: line 1999", exit.Describe());
    }

    [Fact]
    public async Task ExecAsync_StreamDropsBeforeTheStatus_ExitUnknownWithAFailure()
    {
        Bind(Server, async (session, ct) =>
        {
            await session.Stdout.WriteAsync(new byte[1024 * 1024], ct);
            session.Abort();
            return 0;
        });

        var (exit, stdout) = await RunAsync(InPod("pg_dump", "-Fc", "app"));

        Assert.Null(exit.ExitCode);
        Assert.Equal("the exec stream ended before the command's exit status arrived", exit.Failure);
        Assert.False(exit.Succeeded);
        Assert.InRange(stdout.Length, 0, 1024 * 1024);
    }

    [Fact]
    public async Task ExecAsync_ProgramNotInTheContainer_FailureAsTheRuntimeSaysIt()
    {
        Bind(Server, new HostProcessExec { Programs = new Dictionary<string, string> { ["sh"] = "/bin/sh" } }.RunAsync);

        var exit = await _client.ExecAsync(InPod("pg_dump", "--version"), new CommandStreams());

        Assert.Null(exit.ExitCode);
        Assert.StartsWith("Internal error occurred: error executing command in container: ", exit.Failure);
        Assert.EndsWith("exec: \"pg_dump\": executable file not found in $PATH: unknown", exit.Failure);
    }

    [Fact]
    public async Task ExecAsync_BindingEnvironment_SeenByTheCommandInThePod()
    {
        Bind(Server, new HostProcessExec { Environment = new Dictionary<string, string> { ["PGHOST"] = "127.0.0.1", ["PGPORT"] = "55432" } }.RunAsync);

        var (exit, stdout) = await RunAsync(InPod("printenv", "PGPORT"));

        Assert.Equal((0, "55432\n"), (exit.ExitCode, Encoding.UTF8.GetString(stdout)));
    }

    [Fact]
    public async Task ExecAsync_CallerReadsOnlyTheStart_RestDrainedAndTheExitKnown()
    {
        var start = new byte[10];

        var exit = await _client.ExecAsync(InPod("head", "-c", "20000000", "/dev/zero"),
            new CommandStreams(Stdout: async (stdout, ct) => await stdout.ReadExactlyAsync(start, ct)));

        Assert.Equal(0, exit.ExitCode);
    }

    [Fact]
    public async Task ExecAsync_StdoutNotWanted_DiscardedAndTheExitKnown()
    {
        var exit = await _client.ExecAsync(InPod("sh", "-c", "echo out; echo err >&2"), new CommandStreams());

        Assert.Equal((0, "err\n"), (exit.ExitCode, exit.Stderr));
    }

    [Fact]
    public async Task ExecAsync_FinishedPod_FailureFromTheStatusChannel()
    {
        Server.Create(SampleApplication.Pod("db", "migrate", null, "Succeeded"));

        var exit = await _client.ExecAsync(new PodCommand("db", "migrate", null, ["ls"]), new CommandStreams());

        Assert.Equal((null, "Internal error occurred: unable to upgrade connection: container not found (\"main\")"), (exit.ExitCode, exit.Failure));
    }

    [Theory]
    [InlineData("missing", "postgres", 404, "NotFound", "pods \"missing\" not found")]
    [InlineData("pg-0", "sidecar", 400, "BadRequest", "container sidecar is not valid for pod pg-0")]
    public async Task ExecAsync_RefusedBeforeTheCommandStarts_ThrowsWithTheServersStatus(string pod, string container, int code, string reason, string message)
    {
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ExecAsync(new PodCommand("db", pod, container, ["ls"]), new CommandStreams()));

        Assert.Equal((code, reason, message), (error.StatusCode, error.Reason, error.Message));
        Assert.Equal(message, error.Status?["message"]?.GetValue<string>());
    }

    [Fact]
    public async Task ExecAsync_Forbidden_ThrowsWithTheServersStatus()
    {
        Server.Access.Deny("create", "", "pods/exec");

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ExecAsync(InPod("ls"), new CommandStreams()));

        Assert.Equal((403, "Forbidden"), (error.StatusCode, error.Reason));
        Assert.Contains("cannot create resource \"pods/exec\"", error.Message);
        Assert.Empty(_subprotocols);
    }

    [Fact]
    public async Task ExecAsync_Cancelled_ThrowsAndTheCommandIsKilled()
    {
        using var cancel = new CancellationTokenSource();
        var pid = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.ExecAsync(InPod("sh", "-c", "echo $$; exec sleep 60"),
            new CommandStreams(Stdout: async (stdout, ct) =>
            {
                using var reader = new StreamReader(stdout);
                pid = int.Parse((await reader.ReadLineAsync(ct))!, System.Globalization.CultureInfo.InvariantCulture);
                await cancel.CancelAsync();
                await reader.ReadToEndAsync(ct);
            }), cancel.Token));

        await HostProcesses.AssertEndsAsync(pid);
    }

    [Fact]
    public async Task ExecAsync_StdinCannotBeRead_ThatErrorAndTheCommandGetsNoEnd()
    {
        var failing = new FailingStream(new byte[100_000]);

        var error = await Assert.ThrowsAsync<IOException>(() => RunAsync(InPod("wc", "-c"), failing));

        Assert.Equal("the store went away", error.Message);
    }

    [Fact]
    public async Task ExecAsync_CallerFailsReadingStdout_ThatErrorPropagates()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _client.ExecAsync(InPod("head", "-c", "1000000", "/dev/zero"),
            new CommandStreams(Stdout: (_, _) => throw new InvalidDataException("not a dump"))));

        Assert.Equal("not a dump", error.Message);
    }

    private void Bind(SandboxApiServer server, PodExecHandler handler) => server.BindExec("db", "pg-0", (session, ct) =>
    {
        lock (_subprotocols)
        {
            _subprotocols.Add(session.Subprotocol);
        }

        return handler(session, ct);
    });

    private async Task<(CommandExit Exit, byte[] Stdout)> RunAsync(PodCommand command, Stream? stdin = null, KubernetesClient? client = null)
    {
        var stdout = new MemoryStream();
        var exit = await (client ?? _client).ExecAsync(command, new CommandStreams(stdin, (s, ct) => s.CopyToAsync(stdout, ct)));
        return (exit, stdout.ToArray());
    }

    /// <summary>A stream that gives some bytes, then fails as a broken download would.</summary>
    private sealed class FailingStream(byte[] first) : MemoryStream(first)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("the store went away");
        }
    }
}

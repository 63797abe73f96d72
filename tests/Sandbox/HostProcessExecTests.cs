using Strata.TestKit;

namespace Strata.Sandbox.Tests;

/// <summary>
/// The exec handler that runs commands as host processes: the binding's environment, a container
/// without the program, stdin, and the process's end when the client goes away.
/// </summary>
public sealed class HostProcessExecTests : IAsyncLifetime
{
    private const string V5 = "v5.channel.k8s.io";
    private SandboxApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        _server.CreateNamespace("db");
        _server.Create(SampleApplication.Pod("db", "pg-0", null, "Running", container: "postgres"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RunAsync_BindingEnvironment_ReachesTheProcess()
    {
        _server.BindExec("db", "pg-0", new HostProcessExec { Environment = new Dictionary<string, string> { ["PGHOST"] = "10.0.0.7", ["PGPORT"] = "6432" } }.RunAsync);
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["sh", "-c", "echo $PGHOST:$PGPORT"]), V5);

        var transcript = await wire.ReadToEndAsync();

        Assert.Equal("10.0.0.7:6432\n", transcript.Text(1));
    }

    [Fact]
    public async Task RunAsync_ProgramNotInTheContainer_FailsAsContainerdSaysIt()
    {
        _server.BindExec("db", "pg-0", new HostProcessExec { Programs = new Dictionary<string, string> { ["sh"] = "/bin/sh" } }.RunAsync);
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["pg_dump", "--version"]), V5);

        var status = (await wire.ReadToEndAsync()).Status!;

        Assert.Equal(("Failure", "InternalError"), (status.Str("status"), status.Str("reason")));
        Assert.StartsWith("Internal error occurred: error executing command in container: failed to exec in container: ", status.Str("message"));
        Assert.EndsWith("exec: \"pg_dump\": executable file not found in $PATH: unknown", status.Str("message"));
    }

    [Fact]
    public async Task RunAsync_RestrictedPath_FindsOnlyWhatIsOnIt()
    {
        _server.BindExec("db", "pg-0", new HostProcessExec { Environment = new Dictionary<string, string> { ["PATH"] = "/nonexistent" } }.RunAsync);
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["sh", "-c", "true"]), V5);

        var status = (await wire.ReadToEndAsync()).Status!;

        Assert.EndsWith("exec: \"sh\": executable file not found in $PATH: unknown", status.Str("message"));
    }

    [Fact]
    public async Task RunAsync_ClientGoesAway_ProcessTreeKilled()
    {
        _server.BindExec("db", "pg-0", new HostProcessExec().RunAsync);
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["sh", "-c", "sleep 60 & echo $! $$; wait"]), V5);
        var pids = "";
        while (!pids.Contains('\n', StringComparison.Ordinal) && await wire.ReceiveAsync() is { } message)
        {
            pids += message.Channel == 1 ? System.Text.Encoding.UTF8.GetString(message.Data) : "";
        }

        wire.Socket.Abort();

        foreach (var pid in pids.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await HostProcesses.AssertEndsAsync(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

using System.Text;
using Strata.Adapters.Commands;
using Strata.Core.Commands;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Commands;

/// <summary>Programs run on the runner's host: environment, stdin, stdout, stderr's tail, a missing program, cancellation.</summary>
public sealed class LocalCommandsTests
{
    private readonly LocalCommands _commands = new();

    [Fact]
    public async Task RunAsync_EnvironmentVariable_ReachesTheProgramButNotItsCommandLine()
    {
        var command = new HostCommand(["sh", "-c", "printf '%s\\n' \"$PGPASSWORD\"; tr '\\0' ' ' < /proc/$$/cmdline"],
            new Dictionary<string, string> { ["PGPASSWORD"] = "s3cret-value" });

        var (exit, stdout) = await RunAsync(command);

        var lines = stdout.Split('\n');
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("s3cret-value", lines[0]);
        Assert.DoesNotContain("s3cret", lines[1]);
        Assert.DoesNotContain("s3cret", command.ToString());
    }

    [Fact]
    public async Task RunAsync_ProgramNotOnPath_AFailureNotAnException()
    {
        var exit = await _commands.RunAsync(new HostCommand(["strata-no-such-program", "--version"]), new CommandStreams());

        Assert.Equal(new CommandExit(null, "", "program 'strata-no-such-program' was not found on PATH"), exit);
    }

    [Fact]
    public async Task RunAsync_Stdin_PipedInThenClosed()
    {
        var input = new byte[1_000_003];

        var (exit, stdout) = await RunAsync(new HostCommand(["wc", "-c"]), new MemoryStream(input));

        Assert.Equal((0, "1000003"), (exit.ExitCode, stdout.Trim()));
    }

    [Fact]
    public async Task RunAsync_NoStdin_ProgramSeesAnEmptyInput()
    {
        var (exit, stdout) = await RunAsync(new HostCommand(["wc", "-c"]));

        Assert.Equal((0, "0"), (exit.ExitCode, stdout.Trim()));
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_CodeAndTheTailOfStderr()
    {
        var script = "i=0; while [ $i -lt 3000 ]; do echo \"warning $i\" >&2; i=$((i+1)); done; exit 4";

        var exit = await _commands.RunAsync(new HostCommand(["sh", "-c", script]), new CommandStreams(StderrLimit: 64));

        Assert.Equal(4, exit.ExitCode);
        Assert.InRange(exit.Stderr.Length, 50, 64);
        Assert.EndsWith("warning 2999\n", exit.Stderr);
    }

    [Fact]
    public async Task RunAsync_CallerReadsOnlyTheStart_RestDrained()
    {
        var exit = await _commands.RunAsync(new HostCommand(["head", "-c", "20000000", "/dev/zero"]),
            new CommandStreams(Stdout: async (stdout, ct) => await stdout.ReadExactlyAsync(new byte[10], ct)));

        Assert.Equal(0, exit.ExitCode);
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsTheProcessTree()
    {
        using var cancel = new CancellationTokenSource();
        var pids = Array.Empty<int>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _commands.RunAsync(new HostCommand(["sh", "-c", "sleep 60 & echo $! $$; wait"]),
            new CommandStreams(Stdout: async (stdout, ct) =>
            {
                using var reader = new StreamReader(stdout);
                pids = [.. (await reader.ReadLineAsync(ct))!.Split(' ').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];
                await cancel.CancelAsync();
                await reader.ReadToEndAsync(ct);
            }), cancel.Token));

        Assert.Equal(2, pids.Length);
        foreach (var pid in pids)
        {
            await HostProcesses.AssertEndsAsync(pid);
        }
    }

    private async Task<(CommandExit Exit, string Stdout)> RunAsync(HostCommand command, Stream? stdin = null)
    {
        var stdout = new MemoryStream();
        var exit = await _commands.RunAsync(command, new CommandStreams(stdin, (s, ct) => s.CopyToAsync(stdout, ct)));
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()));
    }
}

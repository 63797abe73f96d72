using System.Diagnostics;
using System.Text;
using Strata.Core.Databases;

namespace Strata.Core.Tests.Databases;

/// <summary>
/// The exec command a pod runs: the tool itself when nothing needs a shell; otherwise a script that reads each secret
/// from stdin into the tool's environment — checked by running the script with a real <c>sh</c>, so the password
/// reaches the tool's environment and never its command line.
/// </summary>
public sealed class PodToolExecutorTests
{
    [Fact]
    public void Argv_NoSecretsOneProgram_IsTheToolItself()
    {
        var argv = PodToolExecutor.Argv(new DatabaseCommand(["pg_dump"], ["--format=custom", "--dbname", "dbname='shop'"]));

        Assert.Equal(["pg_dump", "--format=custom", "--dbname", "dbname='shop'"], argv);
    }

    [Fact]
    public async Task Argv_WithSecret_ToolGetsItInItsEnvironmentNotItsArguments()
    {
        var command = new DatabaseCommand(["sh"], ["-c", "printf '%s|%s|%s' \"$PGPASSWORD\" \"$1\" \"$2\"", "tool", "it's", "a b"])
        {
            Secrets = [new("PGPASSWORD", "pa ss'word\\$x")],
        };

        var argv = PodToolExecutor.Argv(command);
        var output = await RunAsync(argv, "pa ss'word\\$x\n");

        Assert.Equal("pa ss'word\\$x|it's|a b", output);
        Assert.DoesNotContain(argv, a => a.Contains("pa ss", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Argv_StdinLength_ToolSeesTheEndOfItsInputAfterThatManyBytes()
    {
        var command = new DatabaseCommand(["wc"], ["-c"]) { Secrets = [new("PGPASSWORD", "secret")], StdinLength = 5 };

        var output = await RunAsync(PodToolExecutor.Argv(command), "secret\nhelloTRAILING-BYTES-NEVER-READ");

        Assert.Equal("5", output.Trim());
    }

    [Fact]
    public async Task Argv_Alternatives_TakesTheFirstInstalledAndSaysWhenNoneIs()
    {
        var found = await RunAsync(PodToolExecutor.Argv(new DatabaseCommand(["strata-no-such-tool", "echo"], ["found"])), "");
        var (exit, stderr) = await RunWithExitAsync(PodToolExecutor.Argv(new DatabaseCommand(["strata-no-such-tool", "strata-nor-this"], [])));

        Assert.Equal("found", found.Trim());
        Assert.Equal(127, exit);
        Assert.Contains("strata-no-such-tool, strata-nor-this: not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Argv_SecretWithALineBreak_IsRefusedWithoutShowingIt()
    {
        var command = new DatabaseCommand(["pg_dump"], []) { Secrets = [new("PGPASSWORD", "line1\nline2")] };

        var error = Assert.Throws<ArgumentException>(() => PodToolExecutor.Argv(command));

        Assert.Contains("PGPASSWORD contains a line break", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line1", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> argv, string stdin)
    {
        var (exit, output, stderr) = await StartAsync(argv, stdin);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return output;
    }

    private static async Task<(int Exit, string Stderr)> RunWithExitAsync(IReadOnlyList<string> argv)
    {
        var (exit, _, stderr) = await StartAsync(argv, "");
        return (exit, stderr);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> StartAsync(IReadOnlyList<string> argv, string stdin)
    {
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(stdin));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}

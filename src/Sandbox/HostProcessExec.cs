using System.ComponentModel;
using System.Diagnostics;

namespace Strata.Sandbox;

/// <summary>
/// A <see cref="PodExecHandler"/> that runs the requested command as a real process on the host,
/// as if the host were the container: <c>command[0]</c> is looked up on the PATH (the binding's own
/// PATH when <see cref="Environment"/> sets one), or among <see cref="Programs"/>; the binding's
/// variables are added to the host's environment; stdin is piped in, stdout and stderr stream out
/// as the process writes them; the process tree is killed when the client goes away. A program the
/// "container" does not have fails as containerd reports it (<see cref="ContainerRuntimeException.ProgramNotFound"/>).
/// </summary>
/// <example><c>server.BindExec("db", "postgres-0", new HostProcessExec { Environment = new Dictionary&lt;string, string&gt; { ["PGHOST"] = "127.0.0.1" } }.RunAsync);</c></example>
public sealed class HostProcessExec
{
    private const int ChunkSize = 32 * 1024;

    /// <summary>Variables added to the process's environment (PGHOST, PGPORT, … for a database "in the pod").</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The programs the container has, by the name a command uses, and the host path each runs; null
    /// (the default): whatever the PATH finds. A map without <c>pg_dump</c> is a container without it.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Programs { get; init; }

    /// <summary>Runs the session's command; the exit code is the process's.</summary>
    public async Task<int> RunAsync(PodExecSession session, CancellationToken cancellationToken = default)
    {
        var command = session.Request.Command;
        var program = Resolve(command[0]) ?? throw ContainerRuntimeException.ProgramNotFound(command[0]);
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Start(start, command[0]);
        using var kill = cancellationToken.Register(() => Kill(process));
        using var stdinDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdin = FeedAsync(session.Stdin, process.StandardInput.BaseStream, stdinDone.Token);
        try
        {
            await Task.WhenAll(
                process.StandardOutput.BaseStream.CopyToAsync(session.Stdout, ChunkSize, cancellationToken),
                process.StandardError.BaseStream.CopyToAsync(session.Stderr, ChunkSize, cancellationToken));
            await process.WaitForExitAsync(cancellationToken);
        }
        catch
        {
            Kill(process);
            throw;
        }
        finally
        {
            // A command that exits without reading all its input: what is left is not its to read.
            await stdinDone.CancelAsync();
            await stdin;
        }

        return process.ExitCode;
    }

    private string? Resolve(string name)
    {
        if (Programs is not null)
        {
            return Programs.TryGetValue(name, out var mapped) && IsExecutable(mapped) ? mapped : null;
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(name) ? name : null;
        }

        var path = Environment.TryGetValue("PATH", out var own) ? own : System.Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static Process Start(ProcessStartInfo start, string name)
    {
        try
        {
            return Process.Start(start) ?? throw ContainerRuntimeException.ProgramNotFound(name);
        }
        catch (Win32Exception e)
        {
            throw new ContainerRuntimeException($"failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{name}\": {e.Message}: unknown");
        }
    }

    private static async Task FeedAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, ChunkSize, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The process stopped reading (it exited, or closed its stdin), or the session ended.
        }
        finally
        {
            try
            {
                to.Dispose();
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }
}

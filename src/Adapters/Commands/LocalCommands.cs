using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Adapters.Commands;

/// <summary>
/// Runs programs on the runner's own host (<see cref="IHostCommands"/>, the direct executor): no
/// shell, arguments as given; <see cref="HostCommand.Environment"/> added to the inherited
/// environment (never shown: messages name the program only); stdin piped in then closed (an empty
/// one when the command has none); stdout handed to the caller as the pipe itself; stderr's tail
/// kept; the process tree killed when the run is cancelled or the caller fails.
/// </summary>
public sealed class LocalCommands : IHostCommands
{
    private const int ChunkSize = 32 * 1024;

    /// <inheritdoc />
    /// <remarks>The program is looked up on the runner's PATH (a PATH in <see cref="HostCommand.Environment"/> applies to what the program runs, not to this lookup).</remarks>
    public async Task<CommandExit> RunAsync(HostCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
    {
        if (command.Command.Count == 0)
        {
            throw new ArgumentException("a host command names a program", nameof(command));
        }

        var program = command.Command[0];
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"program '{program}' did not start");
        }
        catch (Win32Exception e)
        {
            return new CommandExit(null, "", e.NativeErrorCode == 2
                ? $"program '{program}' was not found" + (program.Contains('/', StringComparison.Ordinal) ? "" : " on PATH")
                : $"program '{program}' could not be started: {e.Message}");
        }

        using (process)
        {
            return await RunAsync(process, streams, cancellationToken);
        }
    }

    private static async Task<CommandExit> RunAsync(Process process, CommandStreams streams, CancellationToken cancellationToken)
    {
        using var kill = cancellationToken.Register(() => Kill(process));
        using var stopStdin = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stderr = new StderrTail(streams.StderrLimit);
        var collecting = CollectAsync(process.StandardError.BaseStream, stderr);
        var feeding = FeedAsync(streams.Stdin ?? Stream.Null, process.StandardInput.BaseStream, process, stopStdin.Token);
        Exception? stdinFailure;
        try
        {
            var stdout = process.StandardOutput.BaseStream;
            if (streams.Stdout is { } consume)
            {
                await consume(stdout, cancellationToken);
            }

            await stdout.CopyToAsync(Stream.Null, ChunkSize, cancellationToken); // what the caller left
            await process.WaitForExitAsync(cancellationToken);
            await collecting;
        }
        catch
        {
            Kill(process);
            throw;
        }
        finally
        {
            await stopStdin.CancelAsync();
            stdinFailure = await feeding;
        }

        if (stdinFailure is not null)
        {
            ExceptionDispatchInfo.Throw(stdinFailure);
        }

        return new CommandExit(process.ExitCode, stderr.ToString());
    }

    // Copies the caller's stdin to the program and closes it. A program that exits without reading
    // it all is not a failure; the caller's stream failing is (the program is killed: it must not
    // take a cut input for the whole), and is returned.
    private static async Task<Exception?> FeedAsync(Stream from, Stream to, Process process, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await from.ReadAsync(buffer, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Kill(process);
                    return e;
                }

                if (read == 0)
                {
                    break;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                await to.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    private static async Task CollectAsync(Stream stderr, StderrTail tail)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = await stderr.ReadAsync(buffer)) > 0)
        {
            tail.Add(buffer.AsSpan(0, read));
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

using Strata.Core.Commands;

namespace Strata.Core.Ports;

/// <summary>
/// Runs a command in a container through the Kubernetes exec API (<c>pods/{name}/exec</c> over
/// WebSocket): stdin is sent and then closed, stdout is handed to the caller as a forward-only
/// stream (read at the caller's pace: nothing is buffered beyond a frame), stderr is kept (its tail),
/// and the exit status is read from the status channel.
/// </summary>
public interface IPodExec
{
    /// <summary>
    /// Runs <paramref name="command"/>. Returns when the command has ended and its status is known, or
    /// when the stream ended without one (<see cref="CommandExit.ExitCode"/> null, <see cref="CommandExit.Failure"/>
    /// says why). Refusals before the command starts (pod not found, forbidden) throw <see cref="ClusterRequestException"/>.
    /// </summary>
    Task<CommandExit> ExecAsync(PodCommand command, CommandStreams streams, CancellationToken cancellationToken = default);
}

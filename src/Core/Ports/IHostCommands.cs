using Strata.Core.Commands;

namespace Strata.Core.Ports;

/// <summary>
/// Runs a program on the runner's own host (the direct executor: client tools against a database the
/// runner can reach). Same streams and outcome as <see cref="IPodExec"/>; secrets go in the
/// environment, never on the command line.
/// </summary>
public interface IHostCommands
{
    /// <summary>
    /// Runs <paramref name="command"/>; a program that cannot be started is a <see cref="CommandExit"/> with
    /// <see cref="CommandExit.Failure"/>, not an exception.
    /// </summary>
    Task<CommandExit> RunAsync(HostCommand command, CommandStreams streams, CancellationToken cancellationToken = default);
}

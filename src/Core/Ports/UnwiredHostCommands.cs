using Strata.Core.Commands;

namespace Strata.Core.Ports;

/// <summary>The <see cref="IHostCommands"/> of a host that runs no programs: every command fails, saying so.</summary>
public sealed class UnwiredHostCommands : IHostCommands
{
    /// <summary>The one instance.</summary>
    public static UnwiredHostCommands Instance { get; } = new();

    /// <inheritdoc />
    public Task<CommandExit> RunAsync(HostCommand command, CommandStreams streams, CancellationToken cancellationToken = default) =>
        Task.FromResult(new CommandExit(null, "", "this host runs no programs: the direct executor is not available here"));
}

using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Core.Databases;

/// <summary>Runs a target's tools on the runner's host (the direct executor): secrets in the tool's environment, alternatives tried in order.</summary>
public sealed class HostToolExecutor(IHostCommands host) : IToolExecutor
{
    /// <inheritdoc />
    public string Where => "this host";

    /// <inheritdoc />
    public async Task<CommandExit> RunAsync(DatabaseCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
    {
        var environment = command.Secrets.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        CommandExit? exit = null;
        foreach (var program in command.Programs)
        {
            exit = await host.RunAsync(new HostCommand([program, .. command.Arguments], environment), streams, cancellationToken);
            if (!exit.ProgramMissing)
            {
                return exit;
            }
        }

        return exit!;
    }
}

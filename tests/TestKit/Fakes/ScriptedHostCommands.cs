using System.Text;
using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>
/// The runner's host, where only <see cref="Program"/> runs: it prints <see cref="Answer"/> and exits 0, or ends as
/// <see cref="Exit"/> says. Anything else is not installed (exit 127). Every command is kept.
/// </summary>
public sealed class ScriptedHostCommands(string program = "psql") : IHostCommands
{
    /// <summary>The one program installed.</summary>
    public string Program => program;

    /// <summary>What it prints.</summary>
    public string Answer { get; set; } = "";

    /// <summary>How it ends instead, when set (stdout stays empty).</summary>
    public CommandExit? Exit { get; set; }

    /// <summary>Every command run, in order.</summary>
    public List<HostCommand> Commands { get; } = [];

    /// <inheritdoc />
    public async Task<CommandExit> RunAsync(HostCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
    {
        lock (Commands)
        {
            Commands.Add(command);
        }

        if (command.Command[0] != program)
        {
            return new CommandExit(127, $"{command.Command[0]}: not found");
        }

        if (Exit is { } exit)
        {
            return exit;
        }

        if (streams.Stdout is { } stdout)
        {
            await stdout(new MemoryStream(Encoding.UTF8.GetBytes(Answer)), cancellationToken);
        }

        return new CommandExit(0, "");
    }
}

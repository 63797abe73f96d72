using System.CommandLine;

namespace Strata.Cli.Commands;

/// <summary><c>strata drill</c>: restore drills of a policy's backups, and their RTO over time.</summary>
internal static class DrillCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var drill = new Command("drill", "Prove backups restore: run a policy's restore drill now, and list past drills with their RTO.");
        drill.Subcommands.Add(DrillRunCommand.Build(environment));
        drill.Subcommands.Add(DrillListCommand.Build(environment));
        return drill;
    }
}

using Strata.Core.Commands;

namespace Strata.Core.Databases;

/// <summary>How a client tool's failure reads in a report, wherever the tool ran: missing, cut off, or failed with its own last words.</summary>
public static class ToolFailure
{
    /// <summary>One line for <paramref name="command"/>, which ended as <paramref name="exit"/> in <paramref name="executor"/>.</summary>
    public static string Describe(DatabaseCommand command, CommandExit exit, IToolExecutor executor) => exit switch
    {
        { ProgramMissing: true } => $"{command.Program} is not installed in {executor.Where} ({exit.Describe()})",
        { ExitCode: null } => $"{command.Program} in {executor.Where} did not finish: {exit.Describe()}",
        _ => $"{command.Program} in {executor.Where} failed: {exit.Describe()}",
    };
}

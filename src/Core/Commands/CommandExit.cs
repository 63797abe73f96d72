namespace Strata.Core.Commands;

/// <summary>How a command ended.</summary>
/// <param name="ExitCode">The exit status; null when it is not known (the stream dropped, the program could not start).</param>
/// <param name="Stderr">The tail of what it wrote to stderr (see <see cref="CommandStreams.StderrLimit"/>), as UTF-8.</param>
/// <param name="Failure">Why the status is unknown or the command did not run, when it is; null otherwise.</param>
public sealed record CommandExit(int? ExitCode, string Stderr, string? Failure = null)
{
    /// <summary>The command ran to the end and exited 0.</summary>
    public bool Succeeded => ExitCode == 0 && Failure is null;

    /// <summary>
    /// The program is not installed (or not executable): exit status 127 or 126 from a shell, or the container runtime's
    /// own refusal (<c>exec: "pg_dump": executable file not found in $PATH</c>), or a host without it.
    /// </summary>
    public bool ProgramMissing => ExitCode is 126 or 127
        || (ExitCode is null && Failure is { } failure
            && (failure.Contains("executable file not found", StringComparison.Ordinal) || failure.Contains("was not found on PATH", StringComparison.Ordinal)));

    /// <summary>One line for a report: the failure, or the exit code with stderr's last line.</summary>
    public string Describe()
    {
        var lastLine = Stderr.TrimEnd().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        return Failure is { } failure ? failure + (lastLine is null ? "" : $" ({lastLine})")
            : ExitCode == 0 ? "exited 0"
            : $"exited {ExitCode}" + (lastLine is null ? "" : $": {lastLine}");
    }
}

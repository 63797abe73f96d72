namespace Strata.Cli;

/// <summary>What a command sees of the world: its output streams, environment variables and clock.</summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, Func<string, string?> Variable, bool ErrorIsTerminal, TimeProvider Time)
{
    public static CliEnvironment FromProcess() => new(
        Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected, TimeProvider.System);

    /// <summary><c>$STRATA_HOME</c>, default <c>~/.strata</c>.</summary>
    public string StrataHome =>
        Variable("STRATA_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".strata");
}

/// <summary>Exit codes: 0 succeeded, 1 partially failed (the problems are listed), 2 failed or bad input.</summary>
public static class ExitCodes
{
    public const int Succeeded = 0;
    public const int PartiallyFailed = 1;
    public const int Failed = 2;
}

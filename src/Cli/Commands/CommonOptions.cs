using System.CommandLine;

namespace Strata.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<string> Output() => new Option<string>("--output", "-o")
    {
        Description = "Output format: table or json.",
        DefaultValueFactory = _ => "table",
    }.AcceptOnlyFromAmong("table", "json");

    /// <summary>
    /// <c>--config</c>: strata.yaml, a path or a blob URL, defaulting to the setting the hosts read. A command says what
    /// it reads from the file in <paramref name="reads"/> (appended to the help), where that is more than the whole file.
    /// </summary>
    public static Option<string?> Config(string? reads = null) => new("--config")
    {
        Description = $"strata.yaml: a path or a blob URL (default: ${ControlPlaneFactory.ConfigSetting}){(reads is null ? "." : $"; {reads}")}",
    };

    /// <summary>
    /// <c>--allow-unsigned</c>: go on with a backup whose manifest has no valid signature where one is required.
    /// <paramref name="work"/> is what the command does with it ("Restore from", "Drill"), <paramref name="required"/>
    /// when a signature counts as required, if the command says, and <paramref name="reported"/> whether its report marks the backup unsigned.
    /// </summary>
    public static Option<bool> AllowUnsigned(string work, string? required = null, bool reported = true) => new("--allow-unsigned")
    {
        Description = $"{work} a backup without a valid manifest signature where one is required{(required is null ? "" : $" ({required})")}: "
            + $"only for a backup known to be written unsigned.{(reported ? " It is reported unsigned." : "")}",
    };

    public static Option<string[]> List(string name, string description) => new(name)
    {
        Description = description + " Comma-separated; may be repeated.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Splits comma-separated values of a repeatable option.</summary>
    public static IReadOnlyList<string> Values(string[]? raw) =>
        raw is null ? [] : [.. raw.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];
}

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

    /// <summary><c>--config</c>: strata.yaml, a path or a blob URL, defaulting to the setting the hosts read.</summary>
    public static Option<string?> Config() => new("--config") { Description = $"strata.yaml: a path or a blob URL (default: ${ControlPlaneFactory.ConfigSetting})." };

    public static Option<string[]> List(string name, string description) => new(name)
    {
        Description = description + " Comma-separated; may be repeated.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Splits comma-separated values of a repeatable option.</summary>
    public static IReadOnlyList<string> Values(string[]? raw) =>
        raw is null ? [] : [.. raw.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];
}

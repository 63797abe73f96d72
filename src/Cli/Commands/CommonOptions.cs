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

    public static Option<string[]> List(string name, string description) => new(name)
    {
        Description = description + " Comma-separated; may be repeated.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--outage-budget</c>: how long the API server may be unreachable mid-run.</summary>
    public static Option<int?> OutageBudget() => new("--outage-budget")
    {
        Description = "Seconds the API server may stay unreachable mid-run (a restart, an upgrade) before the run fails; retries back off meanwhile (default 120).",
    };

    /// <summary>The budget given, if any.</summary>
    public static TimeSpan? Seconds(int? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>Splits comma-separated values of a repeatable option.</summary>
    public static IReadOnlyList<string> Values(string[]? raw) =>
        raw is null ? [] : [.. raw.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];
}

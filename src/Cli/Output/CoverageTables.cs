using Spectre.Console;
using Strata.Core.Coverage;

namespace Strata.Cli.Output;

/// <summary>The tables of <c>strata coverage</c>: per cluster, a count line and one row per stateful thing, unprotected first.</summary>
internal static class CoverageTables
{
    public static void Write(CliEnvironment environment, IReadOnlyList<CoverageReport> reports)
    {
        var console = BackupTables.Console(environment);
        foreach (var report in reports)
        {
            Write(console, report);
        }
    }

    public static void Write(IAnsiConsole console, CoverageReport report)
    {
        if (report.Error is { } error)
        {
            console.WriteLine($"{report.Cluster}: NOT SURVEYED: {error}");
            return;
        }

        if (report.LastError is { } lastError)
        {
            console.WriteLine($"{report.Cluster}: NOT SURVEYED since {report.SurveyedAt:u}{(report.LastAttemptAt is { } at ? $" (last tried {at:u})" : "")}: {lastError}");
        }

        console.WriteLine($"{report.Cluster}: {Counts(report)} (surveyed {report.SurveyedAt:u})");
        if (report.Entries.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("STATE", "KIND", "NAME", "DETAIL", "LAYER: HOW, OR WHY NOT");
        foreach (var entry in report.Entries.OrderByDescending(e => e.State == CoverageState.Unprotected))
        {
            table.AddRow(
                State(entry.State), Kind(entry.Kind), Markup.Escape(entry.Namespace is { } ns ? $"{ns}/{entry.Name}" : entry.Name), Markup.Escape(entry.Detail),
                Markup.Escape(entry.ProtectedBy.Count > 0 ? string.Join(", ", entry.ProtectedBy.Select(p => p.Layer).Distinct()) + ": " + entry.Reason : entry.Reason));
        }

        console.Write(table);
    }

    /// <summary><c>7 stateful thing(s): 4 protected, 1 rebuildable, 2 UNPROTECTED</c>.</summary>
    public static string Counts(CoverageReport report)
    {
        var unprotected = report.UnprotectedCount;
        var omitted = report.OmittedCovered + report.OmittedUnprotected;
        return $"{report.StatefulCount} stateful thing(s): {report.Entries.Count(e => e.State == CoverageState.Protected)} protected, "
            + $"{report.Entries.Count(e => e.State == CoverageState.Rebuildable)} rebuildable, {unprotected} {(unprotected > 0 ? "UNPROTECTED" : "unprotected")}"
            + (omitted > 0 ? $" ({omitted} entries not kept: {report.OmittedCovered} protected or rebuildable, {report.OmittedUnprotected} unprotected)" : "");
    }

    private static string State(CoverageState state) => state switch
    {
        CoverageState.Protected => "protected",
        CoverageState.Rebuildable => "rebuildable",
        _ => "UNPROTECTED",
    };

    private static string Kind(StatefulKind kind) => kind switch
    {
        StatefulKind.PersistentVolumeClaim => "pvc",
        StatefulKind.StatefulSet => "statefulset",
        StatefulKind.Deployment => "deployment",
        StatefulKind.DatabasePod => "database pod",
        StatefulKind.DatabaseOperator => "operator database",
        _ => "etcd",
    };
}

using Spectre.Console;
using Strata.Core.Configuration;
using Strata.Core.Etcd;
using Strata.Core.Runs;

namespace Strata.Cli.Output;

/// <summary>The human-readable outputs of drills.</summary>
internal static class DrillTables
{
    /// <summary>One drill: what was restored where, the RTO against its objective, each assertion with when it held, what was refused or left behind.</summary>
    public static void Summary(CliEnvironment environment, DrillRecord drill)
    {
        var console = BackupTables.Console(environment);
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Drill", Markup.Escape(drill.Id));
        grid.AddRow("Status", Markup.Escape(drill.Status.ToString() + (drill.ExceededObjective ? " (slower than the RTO objective)" : "")));
        grid.AddRow("Backup", Markup.Escape($"{drill.BackupId} (policy {drill.Policy}, cluster {drill.Cluster})"));
        grid.AddRow("Target", Markup.Escape(drill.Mode == DrillMode.EtcdRestore ? $"a throwaway etcd on the {drill.Target}, {Mode(drill.Mode)}" : $"{drill.Target}, {Mode(drill.Mode)}"
            + (drill.Namespaces.Count == 0 ? "" : ": " + string.Join(", ", drill.Namespaces.Select(n => $"{n.Key} → {n.Value}")))));
        grid.AddRow("RTO", Markup.Escape(Rto(drill)));
        if (SignatureText.Of(drill.Signature) is { } signature)
        {
            grid.AddRow("Signature", Markup.Escape(signature));
        }
        if (drill.RequestedBy is { } requestedBy)
        {
            grid.AddRow("Requested by", Markup.Escape(requestedBy));
        }

        if (drill.RestoreSeconds is { } restore)
        {
            grid.AddRow("Restore", Markup.Escape($"{restore:0.00} s: " + string.Join(", ", drill.Counts.Where(c => c.Value > 0).Select(c => $"{c.Value:N0} {c.Key}"))));
        }

        if (drill.Disarmed.Count > 0)
        {
            grid.AddRow("Disarmed", Markup.Escape(string.Join(", ", drill.Disarmed.Select(c => $"{c.Value:N0} {c.Key}")) + " (harmless beside the original)"));
        }

        if (drill.CreatedClusterObjects.Count > 0)
        {
            grid.AddRow("Created", Markup.Escape($"{string.Join(", ", drill.CreatedClusterObjects)} (cluster-scoped, missing on the target: left there)"));
        }

        if (drill.SnapshotContentsRemoved > 0)
        {
            grid.AddRow("Removed", Markup.Escape($"{drill.SnapshotContentsRemoved:N0} VolumeSnapshotContent(s) made to restore claims from snapshots (Retain: the storage snapshots stay)"));
        }

        if (drill.KeptNamespaces.Count > 0)
        {
            grid.AddRow("Kept", Markup.Escape($"{string.Join(", ", drill.KeptNamespaces)} (for a look; delete them when done)"));
        }

        if (drill.Error is { } error)
        {
            grid.AddRow("Error", Markup.Escape(error));
        }

        console.Write(grid);
        console.WriteLine();
        if (drill.Assertions.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("ASSERTION", "RESULT")
                .AddColumn(new TableColumn("HELD AT").RightAligned()).AddColumn("LAST SEEN");
            foreach (var a in drill.Assertions)
            {
                table.AddRow(Markup.Escape(a.What), a.Passed ? "held" : "UNMET", a.Seconds is { } s ? $"{s:0.0} s" : "-", Markup.Escape(a.LastSeen ?? "-"));
            }

            console.Write(table);
        }

        if (drill.Etcd is { } etcd)
        {
            EtcdRecoveryTables.Drill(console, etcd);
        }

        if (drill.Databases.Count > 0)
        {
            // RAN IN: the server each was restored on (its own, or its drill server) and where the tools ran; "-" when none was reached.
            var table = new Table().Border(TableBorder.Simple).AddColumns("DATABASE", "RAN IN", "SCRATCH", "RESULT")
                .AddColumn(new TableColumn("RESTORE").RightAligned()).AddColumn(new TableColumn("RTO").RightAligned()).AddColumn("CHECKS");
            foreach (var d in drill.Databases)
            {
                var checks = d.Queries.Select(q => $"{(q.Passed ? "ok" : "FAILED")}: {q.What} ({q.Found})").Append(d.Error ?? "");
                table.AddRow(Markup.Escape($"{d.Target}/{d.Database}"), Markup.Escape(d.RanIn ?? "-"), Markup.Escape(d.Scratch + (d.Dropped ? " (dropped)" : "")), d.Passed ? "passed" : "FAILED",
                    d.RestoreSeconds is { } r ? $"{r:0.00} s" : "-", d.RtoSeconds is { } rto ? $"{rto:0.00} s" : "-",
                    Markup.Escape(string.Join("\n", checks.Where(c => c.Length > 0))));
            }

            console.Write(table);
        }

        if (drill.Refused.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("REFUSED OBJECT", "WHY");
            foreach (var r in drill.Refused)
            {
                table.AddRow(Markup.Escape(r.Object), Markup.Escape(r.Reason));
            }

            console.Write(table);
        }

        if (drill.NotValidated.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("NOT VALIDATED", "WHY");
            foreach (var n in drill.NotValidated)
            {
                table.AddRow(Markup.Escape(n.Object), Markup.Escape(n.Reason));
            }

            console.Write(table);
        }

        foreach (var warning in drill.Warnings)
        {
            console.WriteLine(Markup.Escape($"Warning: {warning}"));
        }
    }

    /// <summary><c>drill list</c>: the RTO trend per policy and cluster, then one row per drill, newest first.</summary>
    public static void List(CliEnvironment environment, IReadOnlyList<DrillRecord> drills)
    {
        var console = BackupTables.Console(environment);
        var trends = new Table().Border(TableBorder.Simple)
            .AddColumns("POLICY", "CLUSTER")
            .AddColumn(new TableColumn("DRILLS").RightAligned())
            .AddColumn(new TableColumn("PASSED").RightAligned())
            .AddColumns("LAST", "LAST RTO", $"RTO TREND (last {DrillTrend.Shown} passed, oldest → newest)", "OBJECTIVE");
        foreach (var t in DrillTrend.Of(drills))
        {
            trends.AddRow(Markup.Escape(t.Policy), Markup.Escape(t.Cluster), t.Drills.ToString("N0"), t.Passed.ToString("N0"), t.Last.Status.ToString(),
                t.Last.RtoSeconds is { } rto ? $"{rto:0.0} s" : "-",
                t.RtoOldestFirst.Count == 0 ? "-" : string.Join(" → ", t.RtoOldestFirst.Select(r => $"{r:0.0}")) + " s",
                t.Last.RtoObjectiveSeconds is { } objective ? DurationText.Format(TimeSpan.FromSeconds(objective)) : "-");
        }

        console.Write(trends);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("ID").NoWrap())
            .AddColumns("POLICY", "CLUSTER", "TARGET", "MODE", "STATUS")
            .AddColumn(new TableColumn("RTO").RightAligned())
            .AddColumn(new TableColumn("REFUSED").RightAligned())
            .AddColumn(new TableColumn("UNMET").RightAligned())
            .AddColumn(new TableColumn("STARTED").NoWrap())
            .AddColumn(new TableColumn("BACKUP").NoWrap());
        foreach (var d in drills)
        {
            table.AddRow(Markup.Escape(d.Id), Markup.Escape(d.Policy), Markup.Escape(d.Cluster), Markup.Escape(d.Target), Mode(d.Mode), d.Status.ToString(),
                d.RtoSeconds is { } rto ? $"{rto:0.0} s" : "-", d.Refused.Count.ToString("N0"), d.Assertions.Count(a => !a.Passed).ToString("N0"),
                d.StartedAt.ToString("u"), Markup.Escape(d.BackupId));
        }

        console.Write(table);
    }

    private static string Mode(DrillMode mode) => mode switch
    {
        DrillMode.DryRun => "dryRun",
        DrillMode.EtcdRestore => "etcdRestore",
        _ => "scratch",
    };

    private static string Rto(DrillRecord drill)
    {
        var objective = drill.RtoObjectiveSeconds is { } seconds ? DurationText.Format(TimeSpan.FromSeconds(seconds)) : null;
        var measured = drill.Mode == DrillMode.EtcdRestore ? "to download, restore, start and check the etcd snapshot" : "from the drill's start to the last assertion holding";
        return drill.RtoSeconds is { } rto
            ? $"{rto:0.0} s {measured}" + (objective is null ? "" : drill.ExceededObjective ? $" — over the objective of {objective}" : $" — within the objective of {objective}")
            : drill.Mode == DrillMode.DryRun ? "- (a dry run restores nothing to measure)"
            : drill.Etcd is { Scope: EtcdDrillScope.IntegrityOnly, Passed: true } ? "- (only the snapshot's integrity was checked)"
            : "- (not recovered)";
    }
}

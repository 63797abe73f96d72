using Spectre.Console;
using Strata.Core.Artifacts;

namespace Strata.Cli.Output;

/// <summary>The layers of a backup beside its objects, as its manifest records them: volume snapshots (and the claims none protects), database dumps, application dumps, CloudNativePG backups, the etcd snapshot and the control-plane files.</summary>
internal static class LayerTables
{
    public static void Write(IAnsiConsole console, BackupManifest manifest)
    {
        Volumes(console, manifest);
        if (manifest.Databases is { Count: > 0 } dumps)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("DATABASE", "ARTIFACT")
                .AddColumn(new TableColumn("SIZE").RightAligned()).AddColumn(new TableColumn("TABLES").RightAligned()).AddColumn(new TableColumn("ROWS").RightAligned())
                .AddColumns("SERVER", "RAN IN").AddColumn(new TableColumn("TOOK").RightAligned());
            foreach (var d in dumps)
            {
                table.AddRow(
                    Markup.Escape($"{d.Namespace}/{d.Target}/{d.Database ?? "(globals)"}"), Markup.Escape(d.Path), Size(d.Size),
                    d.Contents is { } c ? c.Tables.Count.ToString("N0") : "-", d.Contents is { } r ? r.TotalRows.ToString("N0") : "-",
                    Markup.Escape(d.ServerVersion ?? "-"), Markup.Escape(d.RanIn), $"{d.Duration.TotalSeconds:0.0} s");
            }

            console.Write(table);
        }

        if (manifest.Applications is { Count: > 0 } applications)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("APPLICATION", "ARTIFACT").AddColumn(new TableColumn("SIZE").RightAligned()).AddColumns("CHECK", "RAN IN");
            foreach (var a in applications)
            {
                table.AddRow(Markup.Escape($"{a.Namespace}/{a.Name}"), Markup.Escape(a.Path), Size(a.Size), Markup.Escape(a.Verification ?? "-"), Markup.Escape(a.RanIn));
            }

            console.Write(table);
        }

        if (manifest.CloudNativePG is { Count: > 0 } clusters)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("CLOUDNATIVEPG CLUSTER", "BACKUP", "METHOD", "PHASE", "WAL", "ERROR");
            foreach (var b in clusters)
            {
                table.AddRow(Markup.Escape($"{b.Namespace}/{b.Cluster}"), Markup.Escape(b.BackupName), Markup.Escape(b.Method ?? "-"), Markup.Escape(b.Phase ?? "-"),
                    Markup.Escape(b.BeginWal is null ? "-" : $"{b.BeginWal} … {b.EndWal}"), Markup.Escape(b.Error ?? ""));
            }

            console.Write(table);
        }

        Etcd(console, manifest);
    }

    /// <summary>The etcd snapshot (or why the cluster has none) and each control-plane node's files (or why they were not taken).</summary>
    private static void Etcd(IAnsiConsole console, BackupManifest manifest)
    {
        if (manifest.Etcd is not { } etcd)
        {
            return;
        }

        if (etcd.Snapshot is { } s)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("ETCD SNAPSHOT", "MEMBER", "ENDPOINT")
                .AddColumn(new TableColumn("REVISION").RightAligned()).AddColumn(new TableColumn("RAFT INDEX").RightAligned()).AddColumn(new TableColumn("SIZE").RightAligned())
                .AddColumns("SHA256", "ETCD").AddColumn(new TableColumn("TOOK").RightAligned());
            table.AddRow(
                Markup.Escape(s.Path), Markup.Escape(s.MemberName is { } name ? $"{name} ({s.MemberId})" : s.MemberId), Markup.Escape(s.Endpoint),
                s.Revision.ToString("N0"), s.RaftIndex.ToString("N0"), Size(s.Size), Markup.Escape(s.Sha256[..Math.Min(12, s.Sha256.Length)]),
                Markup.Escape(s.EtcdVersion), $"{s.Duration.TotalSeconds:0.0} s");
            console.Write(table);
        }

        if (etcd.ControlPlaneFiles.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("CONTROL-PLANE NODE", "ARTIFACT", "ENTRIES")
                .AddColumn(new TableColumn("FILES").RightAligned()).AddColumn(new TableColumn("KEYS").RightAligned()).AddColumn(new TableColumn("SIZE").RightAligned())
                .AddColumn(new TableColumn("TOOK").RightAligned());
            foreach (var f in etcd.ControlPlaneFiles)
            {
                table.AddRow(Markup.Escape(f.Node), Markup.Escape(f.Path), Markup.Escape(string.Join(", ", f.Entries)), f.Files.ToString("N0"), f.PrivateKeyFiles.ToString("N0"),
                    Size(f.Size), $"{f.Duration.TotalSeconds:0.0} s");
            }

            console.Write(table);
        }

        // What the layer did not take, and why: a table, so that a long reason wraps inside its column.
        var notes = new Table().Border(TableBorder.Simple).AddColumns("ETCD LAYER", "NOT TAKEN");
        if (etcd.Snapshot is null && etcd.NotApplicable is { } why)
        {
            notes.AddRow("snapshot", Markup.Escape($"not applicable: {why}"));
        }

        if (etcd.ControlPlaneFilesOff is { } off)
        {
            notes.AddRow("control-plane files", Markup.Escape(off));
        }

        if (notes.Rows.Count > 0)
        {
            console.Write(notes);
        }
    }

    private static void Volumes(IAnsiConsole console, BackupManifest manifest)
    {
        if (manifest.Volumes is { Count: > 0 } snapshots)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("CLAIM", "SNAPSHOT", "CLASS", "READY")
                .AddColumn(new TableColumn("RESTORE SIZE").RightAligned()).AddColumns("CONSISTENCY", "HOOKS OK/FAILED")
                .AddColumn(new TableColumn("TOOK").RightAligned()).AddColumn("ERROR");
            foreach (var v in snapshots)
            {
                var failed = v.Hooks.Count(h => h.Outcome != Core.Volumes.HookOutcome.Succeeded);
                table.AddRow(
                    Markup.Escape(v.Qualified), Markup.Escape(v.SnapshotName + (v.Reused ? " (reused)" : "")), Markup.Escape(v.VolumeSnapshotClass ?? "-"),
                    v.ReadyToUse ? "yes" : "no", Markup.Escape(v.RestoreSize ?? "-"),
                    Markup.Escape(v.Consistency.ToString().ToLowerInvariant() + (v.ConsistencyProblem is null ? "" : " (not as asked)")),
                    v.Hooks.Count == 0 ? "-" : $"{v.Hooks.Count - failed}/{failed}",
                    v.Duration is { } took ? $"{took.TotalSeconds:0.0} s" : "-", Markup.Escape(v.Error ?? v.ConsistencyProblem ?? ""));
            }

            console.Write(table);
        }

        if (manifest.UnprotectedVolumes is { Count: > 0 } unprotected)
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("NOT PROTECTED", "STORAGE CLASS", "DRIVER", "WHY");
            foreach (var u in unprotected)
            {
                table.AddRow(Markup.Escape(u.Qualified), Markup.Escape(u.StorageClass ?? "-"), Markup.Escape(u.Driver ?? "-"), Markup.Escape(u.Reason));
            }

            console.Write(table);
        }
    }

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.0} MiB" : $"{bytes / 1024.0:0.0} KiB";
}

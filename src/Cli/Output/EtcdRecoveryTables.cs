using Spectre.Console;
using Strata.Core.Etcd;

namespace Strata.Cli.Output;

/// <summary>The human-readable outputs of the etcd rebuild drill and of the etcd restore guide.</summary>
internal static class EtcdRecoveryTables
{
    /// <summary>
    /// An etcd rebuild drill: how far it went (and why only the integrity, where so), the tool, the keys, the timings, then
    /// the keys per resource against the backup's objects, problems first.
    /// </summary>
    public static void Drill(IAnsiConsole console, EtcdDrillResult etcd)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Snapshot", Markup.Escape(etcd.Snapshot));
        grid.AddRow("Scope", Markup.Escape(etcd.Scope == EtcdDrillScope.Rebuild
            ? "rebuilt: restored, started as a throwaway member on loopback, keys compared" + (etcd.RestoreTool is { } tool ? $" ({tool})" : "")
            : $"integrity only (etcd's SHA-256, the bbolt header, the manifest's size and SHA-256): {etcd.IntegrityOnlyBecause}"));
        if (etcd.Resources.Count > 0 || etcd.Keys > 0)
        {
            grid.AddRow("Keys", Markup.Escape($"{etcd.Keys:N0} under {EtcdKeyspace.Root}"));
        }

        var timings = new[] { ("download", etcd.DownloadSeconds), ("restore", etcd.RestoreSeconds), ("start", etcd.StartSeconds), ("check", etcd.CheckSeconds) }
            .Where(t => t.Item2 is not null).Select(t => $"{t.Item1} {t.Item2:0.00} s").ToList();
        if (timings.Count > 0)
        {
            grid.AddRow("Timings", Markup.Escape(string.Join(", ", timings) + (etcd.RtoSeconds is { } rto ? $": RTO {rto:0.0} s" : "")));
        }

        var unlisted = etcd.Problems.Where(p => etcd.Resources.All(r => r.Problem != p)).ToList();
        if (unlisted.Count > 0)
        {
            grid.AddRow("Problems", Markup.Escape(string.Join("\n", unlisted)));
        }

        console.Write(grid);
        console.WriteLine();
        if (etcd.Resources.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("RESOURCE", "PREFIX")
            .AddColumn(new TableColumn("KEYS").RightAligned()).AddColumn(new TableColumn("OBJECTS").RightAligned()).AddColumn("RESULT");
        foreach (var r in etcd.Resources)
        {
            var verdict = r.Problem is { } problem ? "FAILED: " + problem
                : r.Note is { } note ? note
                : r.Objects is not { } objects ? "not in the backup"
                : r.Keys > objects ? "more in etcd (outside the backup's scope, or skipped by it)"
                : r.Keys == objects ? "ok"
                : "ok (within the tolerance for changes before the snapshot)";
            table.AddRow(Markup.Escape(r.Resource), Markup.Escape(r.Prefix), r.Keys.ToString("N0"), r.Objects?.ToString("N0") ?? "-", Markup.Escape(verdict));
        }

        console.Write(table);
    }

    /// <summary>The restore guide just written: where each file is, what the snapshot is, which members the script restores, and the passes to run.</summary>
    public static void Guide(CliEnvironment environment, Core.Artifacts.BackupManifest manifest, EtcdSnapshotRecord snapshot, string folder, IReadOnlyList<string> files)
    {
        var console = BackupTables.Console(environment);
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Backup", Markup.Escape($"{manifest.BackupId} (cluster {manifest.Cluster}, policy {manifest.Policy})"));
        grid.AddRow("Folder", Markup.Escape(folder));
        grid.AddRow("Snapshot", Markup.Escape($"{files[0]}: {snapshot.Size:N0} bytes, SHA-256 {snapshot.Sha256} (checked, with etcd's own hash and the bbolt header)"));
        grid.AddRow("Taken from", Markup.Escape($"{snapshot.MemberName ?? snapshot.MemberId} ({snapshot.Endpoint}), revision {snapshot.Revision:N0}, raft index {snapshot.RaftIndex:N0}, etcd {snapshot.EtcdVersion}"));
        grid.AddRow("Script", Markup.Escape($"{files[1]} (read it, set CONFIRM=yes; nothing was run)"));
        grid.AddRow("Readme", Markup.Escape(files[2]));
        console.Write(grid);
        console.WriteLine();
        var table = new Table().Border(TableBorder.Simple).AddColumns("MEMBER", "ID", "PEER URLS", "RESTORED");
        var restored = EtcdRestoreGuide.Restored(snapshot);
        foreach (var m in snapshot.Members)
        {
            table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.Id), Markup.Escape(string.Join(", ", m.PeerUrls)),
                restored.Contains(m) ? "yes" : m.IsLearner ? "no (learner: add back afterwards)" : "no (never started)");
        }

        console.Write(table);
        console.WriteLine(Markup.Escape($"Next: ./{EtcdRestoreGuide.ScriptName} stop on every control-plane node, then ./{EtcdRestoreGuide.ScriptName} restore MEMBER on each, then ./{EtcdRestoreGuide.ScriptName} check, then restart the kubelet on every node. README.md says how to get the restore tool onto a node."));
    }
}

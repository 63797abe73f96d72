using System.Collections.Concurrent;
using Strata.Core.Databases;
using Strata.Core.Volumes;
using Strata.Sandbox;

namespace Strata.Core.Tests.Volumes;

/// <summary>
/// A fake <see cref="IOnlineBackups"/> that logs each step — open, <c>pg_backup_start</c>, <c>pg_backup_stop</c>, the
/// session's end — with the claims whose VolumeSnapshots existed (and were ready) at that moment in the sandbox.
/// </summary>
internal sealed class RecordingOnlineBackups(SandboxApiServer server) : IOnlineBackups
{
    public const string BackupLabel = "START WAL LOCATION: 0/5000028 (file 000000010000000000000005)\nCHECKPOINT LOCATION: 0/5000060\nLABEL: strata\n";

    public ConcurrentQueue<string> Events { get; } = new();

    public (string Namespace, string Name)? Pod { get; init; } = ("shop", "pg-0");

    public bool OpenFails { get; init; }

    public bool StopFails { get; set; }

    /// <summary>What opening a session to a target throws, other than the refusals of <see cref="OpenFails"/> (a cancellation, a bug); null: nothing.</summary>
    public Func<DatabaseTarget, Exception?>? OpenThrows { get; init; }

    public Task<IOnlineBackupSession> OpenAsync(DatabaseTarget target, string cluster, CancellationToken cancellationToken = default)
    {
        Events.Enqueue($"open {target.Qualified} on {cluster}");
        if (OpenThrows?.Invoke(target) is { } thrown)
        {
            return Task.FromException<IOnlineBackupSession>(thrown);
        }

        return OpenFails
            ? throw new DatabaseTargetException($"database target {target.Qualified}: password authentication failed for user \"postgres\"")
            : Task.FromResult<IOnlineBackupSession>(new Session(this, target));
    }

    /// <summary>How many VolumeSnapshots exist in the sandbox right now, and how many are ready (for events logged by others, e.g. hooks).</summary>
    public string SnapshotsNow() => Snapshots();

    private string Snapshots()
    {
        var type = server.Store.FindType("snapshot.storage.k8s.io", "volumesnapshots")!;
        var snapshots = server.Store.Open(type).Items.Select(i => i.ToJson("snapshot.storage.k8s.io/v1", "VolumeSnapshot")).ToList();
        return $"{snapshots.Count} snapshots, {snapshots.Count(v => v["status"]?["readyToUse"]?.GetValue<bool>() == true)} ready";
    }

    private sealed class Session(RecordingOnlineBackups owner, DatabaseTarget target) : IOnlineBackupSession
    {
        private OnlineBackupRecord? _started;

        public string RanIn => "pod shop/pg-0 (container postgres)";

        public (string Namespace, string Name)? Pod => owner.Pod;

        public Task<OnlineBackupRecord> StartAsync(string label, CancellationToken cancellationToken = default)
        {
            owner.Events.Enqueue($"start '{label}' ({owner.Snapshots()})");
            _started = new OnlineBackupRecord { Target = target.Qualified, Label = label, RanIn = RanIn, ServerVersion = 170002, StartLsn = "0/5000028" };
            return Task.FromResult(_started);
        }

        public Task<OnlineBackupRecord> StopAsync(CancellationToken cancellationToken = default)
        {
            owner.Events.Enqueue($"stop ({owner.Snapshots()})");
            return owner.StopFails
                ? throw new DatabaseTargetException("the connection to the server was lost (server closed the connection unexpectedly)")
                : Task.FromResult(_started! with { StopLsn = "0/5000138", BackupLabel = BackupLabel, TablespaceMap = "" });
        }

        public ValueTask DisposeAsync()
        {
            owner.Events.Enqueue("end");
            return ValueTask.CompletedTask;
        }
    }
}

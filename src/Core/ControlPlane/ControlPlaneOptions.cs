namespace Strata.Core.ControlPlane;

/// <summary>Tuning of the control plane.</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>How long a backup holds its (policy, cluster) lease; a worker that dies frees it after this. Default 6 h.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Backup capture tuning. Its id source is unwired by default (Core makes no ids): the hosts' factory
    /// (ControlPlaneFactory.WithIds, in the adapters) wires a random one, as it does for <see cref="Restore"/>.
    /// </summary>
    public Backup.BackupCaptureOptions Capture { get; init; } = new();

    /// <summary>CloudNativePG layer tuning (how often a backup reads the Backup it waits for).</summary>
    public Databases.CloudNativePg.CloudNativePgOptions CloudNativePg { get; init; } = new();

    /// <summary>Restore tuning; its id source is wired by the hosts, as <see cref="Capture"/>'s is.</summary>
    public Restore.RestoreOptions Restore { get; init; } = new();

    /// <summary>Restore drill tuning.</summary>
    public Drills.DrillOptions Drill { get; init; } = new();

    /// <summary>Where the backup worker reports how far a backup is (<c>strata backup create --policy</c> prints it); null for nowhere.</summary>
    public IProgress<Backup.BackupProgress>? BackupProgress { get; init; }

    /// <summary>Where the drill worker reports how far a drill is (<c>strata drill run</c> prints it); null for nowhere.</summary>
    public IProgress<Drills.DrillProgress>? DrillProgress { get; init; }
}

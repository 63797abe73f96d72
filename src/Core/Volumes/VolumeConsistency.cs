namespace Strata.Core.Volumes;

/// <summary>How consistent a volume snapshot's data is.</summary>
public enum VolumeConsistency
{
    /// <summary>As if the power had gone off: what the application had written to disk, nothing coordinated with it.</summary>
    Crash,

    /// <summary>Taken inside an online backup of the database (<c>pg_backup_start</c> … <c>pg_backup_stop</c> in one session), with the <c>backup_label</c> it returned.</summary>
    Application,
}

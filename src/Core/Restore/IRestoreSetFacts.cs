namespace Strata.Core.Restore;

/// <summary>What the rules may ask about the objects being restored.</summary>
public interface IRestoreSetFacts
{
    /// <summary>Whether the backup holds a Service of that name with a selector (the endpoints controller manages its Endpoints).</summary>
    bool HasSelectorService(string? ns, string name);

    /// <summary>Whether the backup holds a VolumeSnapshot of that name that Strata made (<see cref="Snapshots.StrataSnapshotObjects"/>).</summary>
    bool IsStrataSnapshot(string? ns, string name);

    /// <summary>Whether the backup's volume records name a VolumeSnapshotContent of that name (a volume-layer snapshot was bound to it).</summary>
    bool IsRecordedContent(string name);

    /// <summary>Whether the backup holds a usable snapshot of the claim (by its name in the backup): it is restored from it, onto a new volume.</summary>
    bool HasSnapshot(string? ns, string claim);
}

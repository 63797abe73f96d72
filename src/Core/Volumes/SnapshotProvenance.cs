using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>
/// Whether the live VolumeSnapshot under a record's name is the backup's own — the one rule verification
/// (<c>VolumeSnapshotLiveCheck</c>) and retention (<c>SnapshotRetention</c>) both apply. It is the object the backup
/// created (the recorded uid), or one brought back after a deletion from the retained content, as verification's error
/// says to: a pre-provisioned VolumeSnapshot whose <c>spec.source.volumeSnapshotContentName</c> is the recorded content,
/// bound to that content, which still holds the recorded storage snapshot. A new uid alone proves nothing: anyone can
/// create an object under the name.
/// </summary>
internal static class SnapshotProvenance
{
    /// <summary>The live object is the one the backup created: it has the recorded uid (or no uid was recorded to tell).</summary>
    public static bool IsRecordedObject(VolumeSnapshotRecord record, KubeObject live) => record.SnapshotUid is not { } uid || live.Uid == uid;

    /// <summary>The live object asks for the recorded content by name (<c>spec.source.volumeSnapshotContentName</c>): the form of one brought back.</summary>
    public static bool NamesRecordedContent(VolumeSnapshotRecord record, KubeObject live) =>
        record.ContentName is { } content && live.GetString("spec.source.volumeSnapshotContentName") == content;

    /// <summary>The snapshot controller bound the live object to the recorded content (<c>status.boundVolumeSnapshotContentName</c>).</summary>
    public static bool IsBoundToRecordedContent(VolumeSnapshotRecord record, KubeObject live) =>
        record.ContentName is { } content && SnapshotStatus.BoundContent(live) == content;

    /// <summary><paramref name="content"/> holds the recorded storage snapshot (<c>status.snapshotHandle</c>).</summary>
    public static bool HoldsRecordedHandle(VolumeSnapshotRecord record, KubeObject content) =>
        record.SnapshotHandle is { } handle && content.GetString("status.snapshotHandle") == handle;

    /// <summary>
    /// The live object was brought back from the retained content: it names that content, is bound to it, and
    /// <paramref name="content"/> (the recorded content as read, null when gone) holds the recorded handle and points back
    /// at the live object (<c>spec.volumeSnapshotRef</c>: its namespace and name, and its uid once the controller bound
    /// them) — the binding is the content's word, not only the snapshot's status, which its writers could set.
    /// </summary>
    public static bool IsBroughtBack(VolumeSnapshotRecord record, KubeObject live, KubeObject? content) =>
        NamesRecordedContent(record, live) && IsBoundToRecordedContent(record, live)
        && content is not null && content.Name == record.ContentName && HoldsRecordedHandle(record, content)
        && ContentPointsAt(content, live);

    /// <summary>
    /// <paramref name="content"/>'s <c>spec.volumeSnapshotRef</c> names <paramref name="live"/> (namespace, name, and its uid
    /// once the snapshot controller has bound them): the content's side of the binding.
    /// </summary>
    public static bool ContentPointsAt(KubeObject content, KubeObject live) =>
        content.GetString("spec.volumeSnapshotRef.namespace") == live.Namespace
        && content.GetString("spec.volumeSnapshotRef.name") == live.Name
        && content.GetString("spec.volumeSnapshotRef.uid") is var uid && (uid is null || uid == live.Uid);

    /// <summary>The live object is the backup's own: the one it created, or one brought back from its retained content.</summary>
    public static bool IsBackupsOwn(VolumeSnapshotRecord record, KubeObject live, KubeObject? content) =>
        IsRecordedObject(record, live) || IsBroughtBack(record, live, content);
}

using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Volumes;

namespace Strata.Core.Verification;

/// <summary>What verification reads of a <c>VolumeSnapshot</c> (<c>snapshot.storage.k8s.io/v1</c>), as captured or live.</summary>
/// <param name="Snapshot">The object.</param>
internal readonly record struct VolumeSnapshotState(KubeObject Snapshot)
{
    /// <summary><c>status.readyToUse</c>; null when the controller has not set it.</summary>
    public bool? ReadyToUse => Status?["readyToUse"] is JsonValue value && value.TryGetValue<bool>(out var ready) ? ready : null;

    /// <summary><c>status.boundVolumeSnapshotContentName</c>.</summary>
    public string? BoundContent => Snapshot.GetString("status.boundVolumeSnapshotContentName");

    /// <summary><c>status.error.message</c>: why the snapshot controller could not take or keep it.</summary>
    public string? Error => Snapshot.GetString("status.error.message");

    /// <summary>Why it is not ready, in words: not ready, with the controller's error when it gave one.</summary>
    public string NotReady(VolumeSnapshotRecord record) =>
        $"VolumeSnapshot {record.Namespace}/{record.SnapshotName} of claim {record.Qualified} is not readyToUse" + (Error is { } error ? $": {error}" : "");

    private JsonObject? Status => Snapshot.Json["status"] as JsonObject;
}

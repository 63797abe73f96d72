using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>A VolumeSnapshot's status as a restore reads it: ready, failed, or neither yet.</summary>
/// <param name="ReadyToUse"><c>status.readyToUse</c>.</param>
/// <param name="Error"><c>status.error.message</c> (the snapshot controller's or the CSI driver's), when there is one.</param>
/// <param name="BoundContent"><c>status.boundVolumeSnapshotContentName</c>.</param>
/// <param name="RestoreSize"><c>status.restoreSize</c>, a quantity.</param>
internal sealed record SnapshotStatus(bool ReadyToUse, string? Error, string? BoundContent, string? RestoreSize)
{
    public static SnapshotStatus Read(KubeObject snapshot)
    {
        var status = snapshot.Json["status"] as JsonObject;
        var ready = status?["readyToUse"] is JsonValue value && value.TryGetValue<bool>(out var b) && b;
        var error = (status?["error"] as JsonObject)?["message"] is JsonValue message && message.TryGetValue<string>(out var text) ? text : null;
        if (error is null && status?["error"] is JsonObject)
        {
            error = "an error without a message";
        }

        return new SnapshotStatus(ready, error, snapshot.GetString("status.boundVolumeSnapshotContentName"), snapshot.GetString("status.restoreSize"));
    }

    /// <summary>What it says, for a report: <c>bound to X, not readyToUse</c>.</summary>
    public string Describe() =>
        BoundContent is null ? "not bound to a VolumeSnapshotContent" : $"bound to {BoundContent}, {(ReadyToUse ? "readyToUse" : "not readyToUse")}";
}

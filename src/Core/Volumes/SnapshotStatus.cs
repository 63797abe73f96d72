using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>
/// The external-snapshotter's status fields, read tolerantly. An error is not the end of a snapshot: the API says the
/// controller keeps retrying after an error and clears <c>status.error</c> once it succeeds — so Strata waits for
/// <c>readyToUse</c> (or its timeout) whatever the error, and reads the error only to say why a snapshot was not ready.
/// <c>readyToUse</c> wins over a stale <c>error</c>.
/// </summary>
internal static class SnapshotStatus
{
    /// <summary><c>status.readyToUse</c> is true.</summary>
    public static bool IsReady(KubeObject snapshot) => ReadyToUse(snapshot) is true;

    /// <summary><c>status.readyToUse</c>; null when the controller has not set it (the reports tell "false" from "none").</summary>
    public static bool? ReadyToUse(KubeObject snapshot) => Status(snapshot)?["readyToUse"] is JsonValue v && v.TryGetValue<bool>(out var ready) ? ready : null;

    /// <summary><c>status.boundVolumeSnapshotContentName</c>: the content the controller bound the snapshot to.</summary>
    public static string? BoundContent(KubeObject snapshot) => snapshot.GetString("status.boundVolumeSnapshotContentName");

    /// <summary>
    /// <c>status.error.message</c> while not ready (or "an error without a message"): the last error the controller met,
    /// which it may still retry past — not a final answer.
    /// </summary>
    public static string? Error(KubeObject snapshot) =>
        IsReady(snapshot) || Status(snapshot)?["error"] is not JsonObject error ? null
        : error["message"] is JsonValue m && m.TryGetValue<string>(out var message) && message.Length > 0 ? message : "the snapshot controller reported an error without a message";

    /// <summary>
    /// The snapshot has been cut — the storage system took the point in time (<c>status.creationTime</c>), or it is
    /// ready: from here the application may write again. An error is not a cut: the controller retries, and the cut may
    /// come later.
    /// </summary>
    public static bool IsCut(KubeObject snapshot) => CreationTime(snapshot) is not null || IsReady(snapshot);

    /// <summary><c>status.creationTime</c> (RFC 3339).</summary>
    public static DateTimeOffset? CreationTime(KubeObject snapshot) =>
        snapshot.GetString("status.creationTime") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary><c>status.restoreSize</c>, a quantity (int-or-string).</summary>
    public static string? RestoreSize(KubeObject snapshot) => Status(snapshot)?["restoreSize"] is JsonValue v ? v.ToString() : null;

    /// <summary>A VolumeSnapshotContent's <c>status.restoreSize</c>, in bytes.</summary>
    public static long? ContentRestoreSize(JsonObject content) => Int64((content["status"] as JsonObject)?["restoreSize"]);

    /// <summary>A VolumeSnapshotContent's <c>status.creationTime</c>: UNIX nanoseconds.</summary>
    public static DateTimeOffset? ContentCreationTime(JsonObject content) =>
        Int64((content["status"] as JsonObject)?["creationTime"]) is { } ns ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100) : null;

    private static JsonObject? Status(KubeObject snapshot) => snapshot.Json["status"] as JsonObject;

    private static long? Int64(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
}

using System.Text.Json.Nodes;

namespace Strata.Sandbox.Controllers;

/// <summary>A snapshot's status: copied from its content's, or an error of the controller's.</summary>
internal sealed partial class SnapshotController
{
    /// <summary>
    /// updateSnapshotStatus: the bound content's name, then what the sidecar wrote on the content — its creation time
    /// (UNIX nanoseconds there, RFC 3339 here), readiness, size (bytes there, a quantity here) and error (mirrored,
    /// so a content without one clears the snapshot's). Written only when something changed.
    /// </summary>
    private void UpdateStatus(JsonObject snapshot, JsonObject content)
    {
        var (ns, name, _) = Identity(snapshot);
        var contentStatus = content["status"] as JsonObject;
        var createdAt = contentStatus?["creationTime"]?.GetValue<long>() is { } nanoseconds ? SnapshotApi.Rfc3339(nanoseconds) : null;
        var size = contentStatus?["restoreSize"]?.GetValue<long>();
        var ready = contentStatus?["readyToUse"]?.GetValue<bool>() ?? false;
        var error = contentStatus?["error"]?.DeepClone();
        objects.Change(SnapshotApi.Snapshots(store)!, ns, name, "status", s =>
        {
            if (!Same(s, snapshot))
            {
                return null;
            }

            var before = s["status"]?.ToJsonString();
            var status = s["status"] as JsonObject ?? [];
            status["boundVolumeSnapshotContentName"] ??= SnapshotApi.Text(content["metadata"]!["name"]);
            if (status["creationTime"] is null && createdAt is not null)
            {
                status["creationTime"] = createdAt;
            }

            status["readyToUse"] = ready;
            if (size is { } bytes && (status["restoreSize"] is null || Quantity.Bytes(SnapshotApi.Text(status["restoreSize"])) == 0) && bytes > 0)
            {
                status["restoreSize"] = Quantity.Format(bytes);
            }

            if (error is not null && !ready)
            {
                status["error"] = error;
            }
            else
            {
                status.Remove("error");
            }

            s["status"] = status;
            return status.ToJsonString() == before ? null : s;
        }, Manager);
    }

    /// <summary>
    /// updateSnapshotErrorStatusWithEvent: <c>status.error</c> (unless the same message is there), and
    /// <c>readyToUse: false</c> when <paramref name="notReady"/> — the class errors leave readiness as it was.
    /// </summary>
    private void Fail(JsonObject snapshot, string message, bool notReady)
    {
        var (ns, name, _) = Identity(snapshot);
        objects.Change(SnapshotApi.Snapshots(store)!, ns, name, "status", s =>
        {
            var status = s["status"] as JsonObject ?? [];
            if (!Same(s, snapshot) || SnapshotApi.Text(status["error"]?["message"]) == message)
            {
                return null;
            }

            status["error"] = SnapshotApi.Error(message, time);
            if (notReady)
            {
                status["readyToUse"] = false;
            }

            s["status"] = status;
            return s;
        }, Manager);
    }
}

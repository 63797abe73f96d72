using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The CSI snapshot API (<c>snapshot.storage.k8s.io</c>) as the simulated snapshot controller, sidecar and provisioner
/// read it: its types (null until the CRDs are installed), the names the controller gives, and Go's wording of values.
/// </summary>
internal static class SnapshotApi
{
    public const string Group = "snapshot.storage.k8s.io";
    public const string DefaultClassAnnotation = "snapshot.storage.kubernetes.io/is-default-class";

    public static ResourceType? Snapshots(ObjectStore store) => store.FindType(Group, "volumesnapshots");

    public static ResourceType? Contents(ObjectStore store) => store.FindType(Group, "volumesnapshotcontents");

    public static ResourceType? Classes(ObjectStore store) => store.FindType(Group, "volumesnapshotclasses");

    /// <summary>The VolumeSnapshotContent the controller makes for a dynamic snapshot: <c>snapcontent-{snapshot uid}</c>.</summary>
    public static string ContentName(string snapshotUid) => "snapcontent-" + snapshotUid;

    /// <summary>What the informer's lister answers for a missing class.</summary>
    public static string ClassNotFound(string name) => $"volumesnapshotclass.snapshot.storage.k8s.io \"{name}\" not found";

    /// <summary>Whether a VolumeSnapshotContent's <c>volumeSnapshotRef</c> names this snapshot (a ref without a uid: any of that name).</summary>
    public static bool Names(JsonObject content, string ns, string name, string uid, bool uidRequired)
    {
        var reference = content["spec"]?["volumeSnapshotRef"];
        var refUid = Text(reference?["uid"]) ?? string.Empty;
        return Text(reference?["namespace"]) == ns && Text(reference?["name"]) == name
            && (refUid == uid || (!uidRequired && refUid.Length == 0));
    }

    /// <summary><c>status.error</c> as the controllers write it: when, and what.</summary>
    public static JsonObject Error(string message, TimeProvider time) => new() { ["time"] = Http.Timestamps.Now(time), ["message"] = message };

    /// <summary>A CSI creation time: UNIX nanoseconds (an int64 on the content).</summary>
    public static long UnixNanoseconds(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>A content's creation time as the snapshot's <c>metav1.Time</c> (RFC 3339, seconds).</summary>
    public static string Rfc3339(long unixNanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixNanoseconds / 100).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A string as Go's <c>%q</c> writes it (how the controllers quote a wrapped error).</summary>
    public static string GoQuote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

using System.Text.Json.Serialization;

namespace Strata.Core.Runs;

/// <summary>What happened to one object.</summary>
public enum RestoreItemOutcome
{
    /// <summary>Created in the target (with a dry run: would be created).</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>It existed; the backed-up version was applied over it (policy <c>update</c>).</summary>
    [JsonStringEnumMemberName("updated")]
    Updated,

    /// <summary>It existed and was left as it is (policy <c>skip</c>).</summary>
    [JsonStringEnumMemberName("skippedExisting")]
    SkippedExisting,

    /// <summary>The target does not serve its resource type (a missing CRD, a removed API version).</summary>
    [JsonStringEnumMemberName("skippedUnsupported")]
    SkippedUnsupported,

    /// <summary>
    /// A controller recreates it from an object that is restored (a Deployment's ReplicaSets and Pods, Endpoints, …), or the
    /// restore makes it anew from the backup's volume records (Strata's VolumeSnapshots and their contents, the volume of a
    /// claim restored from its snapshot).
    /// </summary>
    [JsonStringEnumMemberName("skippedRecreated")]
    SkippedRecreated,

    /// <summary>The server refused it; the message is the server's.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

using System.Text.Json.Serialization;

namespace Strata.Core.Etcd;

/// <summary>How far a rebuild drill went.</summary>
public enum EtcdDrillScope
{
    /// <summary>Restored, started, and its keys compared.</summary>
    [JsonStringEnumMemberName("rebuild")]
    Rebuild,

    /// <summary>Only the snapshot's integrity (bbolt header, etcd's SHA-256) checked: the runner has no etcd tools.</summary>
    [JsonStringEnumMemberName("integrityOnly")]
    IntegrityOnly,
}

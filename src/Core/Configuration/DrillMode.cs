using System.Text.Json.Serialization;

namespace Strata.Core.Configuration;

/// <summary>How a restore drill proves a backup without harming the target.</summary>
public enum DrillMode
{
    /// <summary>Restore into scratch namespaces (<c>{prefix}-{namespace}</c>), wait for the assertions, delete the namespaces.</summary>
    [JsonStringEnumMemberName("scratch")]
    Scratch,

    /// <summary>Send every object with <c>dryRun=All</c>: admission and schema validation, nothing persisted.</summary>
    [JsonStringEnumMemberName("dryRun")]
    DryRun,

    /// <summary>
    /// Rebuild the backup's etcd snapshot: restore it into a temporary data directory, start a throwaway member on
    /// loopback, compare its keys per resource with the backup's objects; no cluster is touched.
    /// </summary>
    [JsonStringEnumMemberName("etcdRestore")]
    EtcdRestore,
}

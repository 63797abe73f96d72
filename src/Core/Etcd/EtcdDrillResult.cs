namespace Strata.Core.Etcd;

/// <summary>
/// The rebuild drill of an etcd snapshot (<c>verification.drill.mode: etcdRestore</c>): the snapshot's integrity
/// re-checked from the store, then — where the runner has the tools — restored, started as a throwaway member, and
/// its keys per <c>/registry/{resource}</c> compared with the object counts of the same backup.
/// </summary>
public sealed record EtcdDrillResult
{
    /// <summary>The snapshot drilled (its artifact path).</summary>
    public required string Snapshot { get; init; }

    /// <summary>Whether the snapshot was rebuilt, or only its integrity checked (no tools on this runner).</summary>
    public required EtcdDrillScope Scope { get; init; }

    /// <summary>Why only the integrity was checked (<c>etcdutl and etcd are not on this runner</c>); null for a rebuild.</summary>
    public string? IntegrityOnlyBecause { get; init; }

    /// <summary>The restore tool and its version.</summary>
    public string? RestoreTool { get; init; }

    /// <summary>Keys under <c>/registry/</c> in the rebuilt etcd.</summary>
    public long Keys { get; init; }

    /// <summary>Per resource: keys in etcd against objects in the backup, and whether they agree.</summary>
    public IReadOnlyList<EtcdKeyComparison> Resources { get; init; } = [];

    /// <summary>Seconds to read the snapshot from the store (and check it on the way).</summary>
    public double? DownloadSeconds { get; init; }

    /// <summary>Seconds <c>etcdutl snapshot restore</c> took.</summary>
    public double? RestoreSeconds { get; init; }

    /// <summary>Seconds from starting etcd to its first answer.</summary>
    public double? StartSeconds { get; init; }

    /// <summary>Seconds to count the keys and compare.</summary>
    public double? CheckSeconds { get; init; }

    /// <summary>The recovery time: download, restore, start and check; null when the drill did not pass or only checked integrity.</summary>
    public double? RtoSeconds { get; init; }

    /// <summary>What failed the drill (integrity, restore, start, a resource with fewer keys than objects); empty when it passed.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Passed: intact, and (rebuilt) every resource agrees.</summary>
    public bool Passed => Problems.Count == 0;
}

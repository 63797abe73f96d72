using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>
/// A policy's <c>volumes:</c>: whether each backup snapshots the claims in its scope, which claims, with which
/// VolumeSnapshotClass, how long it waits, how many at once, and the hooks run around them.
/// </summary>
public sealed record VolumeSettings
{
    /// <summary>How long one snapshot may take to be <c>readyToUse</c> when strata.yaml gives no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How many claims (hook groups) are in flight at once when strata.yaml gives no <c>concurrency</c>.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>How often the backup's VolumeSnapshots are read while Strata waits, when strata.yaml gives no <c>pollInterval</c>.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>No snapshots: the default when a policy has no <c>volumes:</c>.</summary>
    public static VolumeSettings Skip { get; } = new();

    /// <summary>Snapshot or skip.</summary>
    public VolumeSnapshotMode Mode { get; init; } = VolumeSnapshotMode.Skip;

    /// <summary>Which claims, by their labels, within the scope's namespaces (the scope's object selector does not select claims).</summary>
    public LabelSelector Selector { get; init; } = LabelSelector.Everything;

    /// <summary>The VolumeSnapshotClass per StorageClass or driver, first match wins; else the driver's default class.</summary>
    public IReadOnlyList<SnapshotClassRule> Classes { get; init; } = [];

    /// <summary>How long one snapshot may take to be <c>readyToUse</c>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>How many claims (hook groups) are in flight at once.</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>How often the backup's VolumeSnapshots are read while Strata waits.</summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>The hooks run in pods around the snapshots of the claims they mount.</summary>
    public IReadOnlyList<VolumeHook> Hooks { get; init; } = [];

    /// <summary>True when each backup snapshots the claims in scope.</summary>
    public bool Snapshots => Mode == VolumeSnapshotMode.Snapshot;
}

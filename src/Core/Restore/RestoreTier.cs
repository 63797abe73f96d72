namespace Strata.Core.Restore;

/// <summary>
/// One step of a restore. Every object of a tier is applied (concurrently, bounded) before any
/// object of the next.
/// </summary>
/// <param name="Name">What the tier is, for reports.</param>
/// <param name="Reason">Why it comes where it does.</param>
/// <param name="Resources">Group-qualified resource names (<c>deployments.apps</c>, <c>secrets</c>) for <see cref="TierKind.Listed"/>.</param>
/// <param name="Kind">Listed resources, or a catch-all.</param>
/// <param name="WaitForEstablished">Wait until each CustomResourceDefinition of the tier is Established before the next tier.</param>
/// <param name="RestoresSnapshots">
/// Before the tier, make the snapshots its claims are restored from usable in their target namespaces (and wait until
/// they are <c>readyToUse</c>): a claim names its VolumeSnapshot in <c>dataSource</c> when it is created.
/// </param>
public sealed record RestoreTier(
    string Name,
    string Reason,
    IReadOnlyList<string> Resources,
    TierKind Kind = TierKind.Listed,
    bool WaitForEstablished = false,
    bool RestoresSnapshots = false);

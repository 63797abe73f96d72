using Strata.Core.Drills;
using Strata.Core.Scheduling;

namespace Strata.Core.Configuration;

/// <summary>
/// A policy's restore drill (<c>verification.drill</c> in strata.yaml): when it runs, where, how,
/// what it waits for, and how fast recovery must be.
/// </summary>
public sealed record DrillSettings
{
    /// <summary>The prefix of scratch namespaces when none is given; <c>{id}</c> becomes the drill's short id.</summary>
    public const string DefaultPrefix = "drill-{id}";

    /// <summary>The placeholder in <see cref="Prefix"/> for the drill's short id (six hex digits).</summary>
    public const string IdPlaceholder = "{id}";

    /// <summary>How long the assertions may take, from the drill's start, when no timeout is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest <see cref="Timeout"/> and <see cref="RecoveryTimeObjective"/> strata.yaml may give: a drill holds its
    /// pair's lease for its timeout, and a week is longer than any recovery worth rehearsing (and far from overflowing a date).
    /// </summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    /// <summary>When the control plane runs the drill; null: only when asked (<c>strata drill run</c>).</summary>
    public CronSchedule? Schedule { get; init; }

    /// <summary>The time zone of <see cref="Schedule"/>; the policy's unless given.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The cluster (by its name in strata.yaml) restored into; null: the backup's own cluster.</summary>
    public string? Target { get; init; }

    /// <summary>Scratch restore or server-side dry run.</summary>
    public DrillMode Mode { get; init; } = DrillMode.Scratch;

    /// <summary>Scratch namespaces are named <c>{prefix}-{namespace}</c>; <see cref="IdPlaceholder"/> becomes the drill's short id.</summary>
    public string Prefix { get; init; } = DefaultPrefix;

    /// <summary>
    /// Whether every restored Deployment, StatefulSet and DaemonSet must roll out, every claim be Bound
    /// and every Job complete (default); false for a target without the capacity to run the workloads.
    /// </summary>
    public bool Readiness { get; init; } = true;

    /// <summary>The user's assertions on restored objects, checked besides (or instead of) readiness.</summary>
    public IReadOnlyList<DrillAssertion> Assertions { get; init; } = [];

    /// <summary>How long the assertions may take from the drill's start before the drill fails.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary><see cref="Timeout"/> within 0 and <see cref="MaxDuration"/>, for date arithmetic on settings not read from strata.yaml.</summary>
    public TimeSpan BoundedTimeout => Timeout < TimeSpan.Zero ? TimeSpan.Zero : Timeout > MaxDuration ? MaxDuration : Timeout;

    /// <summary>The recovery-time objective: a drill whose RTO is longer raises an alert.</summary>
    public TimeSpan? RecoveryTimeObjective { get; init; }

    /// <summary>Keep the scratch namespaces of a failed drill for people to look at (they are deleted otherwise).</summary>
    public bool KeepOnFailure { get; init; }
}

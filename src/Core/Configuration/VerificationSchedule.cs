using Strata.Core.Scheduling;

namespace Strata.Core.Configuration;

/// <summary>When and how backups are verified and drilled (used by the verification issue).</summary>
/// <param name="Schedule">When drills run.</param>
/// <param name="TimeZone">The schedule's time zone.</param>
/// <param name="Drill">Whether to restore into a scratch namespace and measure recovery time, not only check integrity.</param>
public sealed record VerificationSchedule(CronSchedule Schedule, TimeZoneInfo TimeZone, bool Drill);

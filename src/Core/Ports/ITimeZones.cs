namespace Strata.Core.Ports;

/// <summary>
/// Finds time zones by IANA name. Core never asks the operating system itself: the hosts pass the
/// system's zones, tests may pass a fixed set.
/// </summary>
public interface ITimeZones
{
    /// <summary>The zone named <paramref name="id"/> (e.g. <c>Europe/Amsterdam</c>), or null when there is none.</summary>
    TimeZoneInfo? Find(string id);
}

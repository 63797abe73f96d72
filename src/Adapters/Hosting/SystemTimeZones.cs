using Strata.Core.Ports;

namespace Strata.Adapters.Hosting;

/// <summary>The operating system's time zones (IANA names on Linux; Windows ids are converted by .NET).</summary>
public sealed class SystemTimeZones : ITimeZones
{
    /// <summary>The one instance.</summary>
    public static SystemTimeZones Instance { get; } = new();

    private SystemTimeZones()
    {
    }

    /// <inheritdoc />
    public TimeZoneInfo? Find(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}

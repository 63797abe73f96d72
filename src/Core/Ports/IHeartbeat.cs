using Strata.Core.Configuration;

namespace Strata.Core.Ports;

/// <summary>Pings the dead man's switch strata.yaml names (<see cref="StrataConfiguration.Heartbeat"/>).</summary>
public interface IHeartbeat
{
    /// <summary>Pings <paramref name="url"/> once; returns why it failed (never the URL), or null. Never throws for a failed ping.</summary>
    Task<string?> PingAsync(SecretReference url, CancellationToken cancellationToken = default);
}

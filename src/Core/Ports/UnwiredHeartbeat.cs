using Strata.Core.Configuration;

namespace Strata.Core.Ports;

/// <summary>The heartbeat of a host that wired none: every ping fails, saying so, rather than passing silently.</summary>
public sealed class UnwiredHeartbeat : IHeartbeat
{
    /// <summary>The one instance.</summary>
    public static UnwiredHeartbeat Instance { get; } = new();

    /// <inheritdoc />
    public Task<string?> PingAsync(SecretReference url, CancellationToken cancellationToken = default) =>
        Task.FromResult<string?>("this host has no heartbeat sender wired");
}

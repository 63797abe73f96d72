namespace Strata.Core.Ports;

/// <summary>A store replicated to a second region: how fresh the copy there is.</summary>
public interface IGeoReplicatedStore
{
    /// <summary>Every write before this time is readable in the secondary region; null when the service does not know.</summary>
    Task<DateTimeOffset?> GetLastSyncTimeAsync(CancellationToken cancellationToken = default);
}

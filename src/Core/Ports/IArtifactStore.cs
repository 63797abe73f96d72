namespace Strata.Core.Ports;

/// <summary>
/// Where artifacts live. Write-once: an artifact is written through an
/// <see cref="IArtifactWriter"/> and becomes visible only when committed; an existing key is
/// never overwritten.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where the store is, for people (a folder, a container URL without secrets).</summary>
    string Location { get; }

    /// <summary>Starts writing <paramref name="key"/>; fails with <see cref="ArtifactExistsException"/> if it exists.</summary>
    Task<IArtifactWriter> CreateAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Opens <paramref name="key"/> for reading; <see cref="ArtifactNotFoundException"/> if absent.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists committed artifacts whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes <paramref name="key"/> unless a write-once lock or legal hold keeps it, which is
    /// reported as <see cref="ArtifactDeletionOutcome.Locked"/> (with the date), not thrown.
    /// </summary>
    Task<ArtifactDeletion> DeleteAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>An artifact being written. Disposing without <see cref="CommitAsync"/> discards it.</summary>
public interface IArtifactWriter : IAsyncDisposable
{
    /// <summary>The stream to write the content to.</summary>
    Stream Content { get; }

    /// <summary>Makes the artifact visible under its key, once and for all.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>A committed artifact.</summary>
public sealed record ArtifactInfo(string Key, long Size);

/// <summary>The store refused to overwrite an existing artifact.</summary>
public sealed class ArtifactExistsException(string key)
    : IOException($"artifact '{key}' already exists and is never overwritten")
{
    /// <summary>The key.</summary>
    public string Key { get; } = key;
}

/// <summary>No artifact has that key.</summary>
public sealed class ArtifactNotFoundException(string key) : IOException($"artifact '{key}' does not exist")
{
    /// <summary>The key.</summary>
    public string Key { get; } = key;
}

/// <summary>What became of a request to delete an artifact.</summary>
public enum ArtifactDeletionOutcome
{
    /// <summary>It is gone.</summary>
    Deleted,

    /// <summary>There was nothing under that key.</summary>
    NotFound,

    /// <summary>A write-once lock or legal hold keeps it; not a failure.</summary>
    Locked,
}

/// <summary>The answer to a delete: deleted, absent, or locked until a date (or under legal hold).</summary>
public sealed record ArtifactDeletion(string Key, ArtifactDeletionOutcome Outcome, DateTimeOffset? LockedUntil = null, bool LegalHold = false)
{
    /// <summary>For people: "deleted", "not found", "locked until 2027-01-01T00:00:00Z (legal hold)".</summary>
    public override string ToString() => Outcome switch
    {
        ArtifactDeletionOutcome.Deleted => $"{Key}: deleted",
        ArtifactDeletionOutcome.NotFound => $"{Key}: not found",
        _ => $"{Key}: locked" + (LockedUntil is { } until ? $" until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : "") + (LegalHold ? " (legal hold)" : ""),
    };
}

/// <summary>A store replicated to a second region: how fresh the copy there is.</summary>
public interface IGeoReplicatedStore
{
    /// <summary>Every write before this time is readable in the secondary region; null when the service does not know.</summary>
    Task<DateTimeOffset?> GetLastSyncTimeAsync(CancellationToken cancellationToken = default);
}

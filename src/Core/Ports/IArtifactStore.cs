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

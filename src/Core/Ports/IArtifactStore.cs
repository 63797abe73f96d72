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

namespace Strata.Core.Ports;

/// <summary>An artifact being written. Disposing without <see cref="CommitAsync"/> discards it.</summary>
public interface IArtifactWriter : IAsyncDisposable
{
    /// <summary>The stream to write the content to.</summary>
    Stream Content { get; }

    /// <summary>Makes the artifact visible under its key, once and for all.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}

namespace Strata.Core.Encryption;

/// <summary>
/// An encrypted artifact or Secret value did not decrypt: tampered, truncated, reordered, moved from another
/// artifact, or encrypted with another data key. The message names the artifact (and chunk, or entry and field),
/// never a value. An <see cref="IOException"/> like <c>ArtifactRejectedException</c>: <see cref="InvalidDataException"/>
/// is sealed, so code that reports unreadable artifacts catches this type as well.
/// </summary>
public sealed class ArtifactDecryptionException : IOException
{
    /// <summary>Creates the exception for <paramref name="artifact"/>.</summary>
    public ArtifactDecryptionException(string artifact, string reason, Exception? innerException = null)
        : base($"cannot decrypt '{artifact}': {reason}", innerException) => Artifact = artifact;

    /// <summary>Creates the exception.</summary>
    public ArtifactDecryptionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ArtifactDecryptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ArtifactDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The artifact (or archive entry) that did not decrypt.</summary>
    public string? Artifact { get; }
}

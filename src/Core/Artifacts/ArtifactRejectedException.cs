namespace Strata.Core.Artifacts;

/// <summary>An artifact failed a safety check (hash, size, unsafe entry); nothing from it is used.</summary>
public sealed class ArtifactRejectedException(string artifact, string reason, Exception? inner = null)
    : IOException($"{artifact}: {reason}", inner)
{
    /// <summary>The artifact, by key or name.</summary>
    public string Artifact { get; } = artifact;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}

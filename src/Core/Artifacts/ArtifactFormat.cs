namespace Strata.Core.Artifacts;

/// <summary>The artifact format. Readers refuse manifests with a newer version than they know.</summary>
public static class ArtifactFormat
{
    /// <summary>Version written into every manifest. Bump it when the layout or a document's meaning changes.</summary>
    public const int Version = 2; // 2: client-side encryption (manifest 'encryption'), signatures (manifest.sig), wrapped keys (keys/)
}

using Strata.Core.Artifacts;
using Strata.Core.Databases;

namespace Strata.Core.Backup;

/// <summary>What a layer committed: its artifacts (for the manifest's list) and its own records.</summary>
/// <param name="Artifacts">Every artifact the layer committed.</param>
public sealed record LayerCapture(IReadOnlyList<ArtifactEntry> Artifacts)
{
    /// <summary>The dumps of the databases layer.</summary>
    public IReadOnlyList<DatabaseDump> Databases { get; init; } = [];

    /// <summary>The application dumps.</summary>
    public IReadOnlyList<Applications.ApplicationDumpRecord> Applications { get; init; } = [];

    /// <summary>Nothing captured.</summary>
    public static LayerCapture Empty { get; } = new([]);

    /// <summary>This capture and <paramref name="other"/> together.</summary>
    public LayerCapture Merge(LayerCapture other) => new([.. Artifacts, .. other.Artifacts]) { Databases = [.. Databases, .. other.Databases], Applications = [.. Applications, .. other.Applications] };
}

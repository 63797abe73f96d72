using Strata.Core.Artifacts;
using Strata.Core.Runs;

namespace Strata.Core.Status;

/// <summary>
/// The layers a backup can hold, named as the status page, the metrics (<c>layer</c> label) and the coverage report name
/// them, and which layer each artifact path belongs to (<see cref="ArtifactLayout"/> decides the paths).
/// </summary>
public static class BackupLayers
{
    /// <summary>API objects (<c>resources.tar.gz</c>).</summary>
    public const string Objects = "objects";

    /// <summary>CSI volume snapshot records (<c>volumes/</c>).</summary>
    public const string Volumes = "volumes";

    /// <summary>Database and application dumps, CloudNativePG backups (<c>databases/</c>, <c>applications/</c>, <c>cnpg/</c>).</summary>
    public const string Databases = "databases";

    /// <summary>The etcd snapshot and the control plane's own files (<c>etcd/</c>, <c>control-plane/</c>).</summary>
    public const string Etcd = "etcd";

    /// <summary>Every layer, in the order a backup takes them and a page lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Objects, Volumes, Databases, Etcd];

    /// <summary>The layer an artifact at <paramref name="path"/> (relative to its backup) belongs to; null for the manifest, its signature and the wrapped keys.</summary>
    public static string? Of(string path) => path switch
    {
        ArtifactLayout.ResourcesArchive => Objects,
        _ when path.StartsWith(ArtifactLayout.VolumesFolder, StringComparison.Ordinal) => Volumes,
        _ when path.StartsWith(ArtifactLayout.DatabasesFolder, StringComparison.Ordinal)
            || path.StartsWith(ArtifactLayout.ApplicationsFolder, StringComparison.Ordinal)
            || path.StartsWith(ArtifactLayout.CloudNativePgFolder, StringComparison.Ordinal) => Databases,
        _ when path.StartsWith(ArtifactLayout.EtcdFolder, StringComparison.Ordinal)
            || path.StartsWith(ArtifactLayout.ControlPlaneFolder, StringComparison.Ordinal) => Etcd,
        _ => null,
    };

    /// <summary>The layers <paramref name="record"/>'s committed artifacts hold, in <see cref="All"/>'s order.</summary>
    public static IReadOnlyList<string> Held(BackupRecord record)
    {
        var held = record.Artifacts.Select(a => Of(a.Path)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return All.Where(held.Contains).ToList();
    }

    /// <summary>The bytes of <paramref name="record"/>'s artifacts per layer (only the layers it holds).</summary>
    public static IReadOnlyDictionary<string, long> Bytes(BackupRecord record) =>
        record.Artifacts.Select(a => (Layer: Of(a.Path), a.Size)).Where(a => a.Layer is not null)
            .GroupBy(a => a.Layer!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(a => a.Size), StringComparer.Ordinal);
}

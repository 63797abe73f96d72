using Strata.Sandbox;
using Strata.TestKit.CloudNativePg;

namespace Strata.TestKit.Volumes;

/// <summary>
/// The CSI snapshot API's published CRDs (VolumeSnapshotClass, VolumeSnapshotContent, VolumeSnapshot; external-snapshotter
/// v8), read from <c>../shared/reference/crds/</c> beside the repository — never copied into it — and installed into a
/// sandbox as a cluster's snapshot add-on installs them. A missing file fails the test that needs it.
/// </summary>
public static class VolumeSnapshotCrds
{
    /// <summary>The CRD files, in the order they are installed.</summary>
    public static IReadOnlyList<string> Files { get; } =
    [
        "snapshot.storage.k8s.io_volumesnapshotclasses.yaml",
        "snapshot.storage.k8s.io_volumesnapshotcontents.yaml",
        "snapshot.storage.k8s.io_volumesnapshots.yaml",
    ];

    /// <summary>Where they are: <c>../shared/reference/crds/</c> from the repository root.</summary>
    public static string Folder => Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "reference", "crds"));

    /// <summary>Installs every CRD into <paramref name="server"/>; throws when a file is missing.</summary>
    public static void Install(SandboxApiServer server)
    {
        foreach (var file in Files)
        {
            var path = Path.Combine(Folder, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"the VolumeSnapshot CRD {file} is not at {Folder} (the published CRDs the tests load; see its README)", path);
            }

            foreach (var crd in YamlJson.Documents(File.ReadAllText(path)))
            {
                server.Create(crd);
            }
        }
    }
}

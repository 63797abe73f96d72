using System.Globalization;
using Strata.Core.Artifacts;
using Strata.Core.Etcd;

namespace Strata.Core.Verification;

/// <summary>
/// The etcd layer's check of a node's control-plane files (<c>control-plane/{node}.tar</c>), read forward only
/// (<see cref="ControlPlaneTar"/>): the tar reads to its end-of-archive marker, holds something, names nothing outside
/// the folder it is extracted into (no absolute path, no <c>..</c>), and has, at its top level, every entry the
/// manifest's record says was taken, with the files and private keys the record counted. The facts count files,
/// private-key files and entries.
/// </summary>
public sealed class ControlPlaneFilesCheck : IArtifactCheck
{
    /// <inheritdoc />
    public string Name => "control-plane files";

    /// <inheritdoc />
    public bool AppliesTo(ArtifactEntry artifact) =>
        artifact.Path.StartsWith(ArtifactLayout.ControlPlaneFolder, StringComparison.Ordinal) && artifact.Path.EndsWith(".tar", StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<ArtifactCheckResult> CheckAsync(
        ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        ControlPlaneTarContents tar;
        try
        {
            tar = await ControlPlaneTar.ReadAsync(content, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            findings.Error(Name, e.Message, artifact.Path);
            return new ArtifactCheckResult(new Dictionary<string, string>(), ReadToEnd: false);
        }

        if (tar.Entries == 0)
        {
            findings.Error(Name, "the tar is empty: it holds no file", artifact.Path);
        }

        if (tar.UnsafeCount > 0)
        {
            findings.Error(Name, $"the tar names {tar.UnsafeCount} paths outside the folder it is extracted into (absolute, or climbing with ..): "
                + string.Join(", ", tar.UnsafePaths), artifact.Path);
        }

        var record = manifest.Etcd?.ControlPlaneFiles.FirstOrDefault(r => r.Path == artifact.Path);
        if (record is null)
        {
            findings.Error(Name, "the manifest has no control-plane record of this artifact", artifact.Path);
        }
        else
        {
            foreach (var entry in record.Entries.Where(e => !tar.TopLevel.Contains(ControlPlaneTar.TopLevelName(e) ?? e)))
            {
                findings.Error(Name, $"{entry} was taken from node {record.Node} but is not in the tar", artifact.Path, entry);
            }

            Compare(findings, artifact, "files", record.Files, tar.Files);
            Compare(findings, artifact, "private-key files", record.PrivateKeyFiles, tar.PrivateKeyFiles);
        }

        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["files"] = Number(tar.Files),
            ["private-key files"] = Number(tar.PrivateKeyFiles),
            ["entries"] = string.Join(", ", tar.TopLevel),
        };
        if (record is not null)
        {
            facts["node"] = record.Node;
        }

        return new ArtifactCheckResult(facts, ReadToEnd: true);
    }

    private void Compare(VerificationFindings findings, ArtifactEntry artifact, string what, int recorded, int found)
    {
        if (recorded != found)
        {
            findings.Error(Name, $"the tar holds {found} {what}, the manifest recorded {recorded}", artifact.Path, what, Number(recorded), Number(found));
        }
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}

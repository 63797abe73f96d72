using System.Formats.Tar;
using System.Text;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Etcd;
using Strata.Core.Runs;
using Strata.Core.Tests.Artifacts;
using Strata.Core.Verification;

namespace Strata.Core.Tests.Verification;

/// <summary>The verification check of <c>control-plane/{node}.tar</c>, on tars built in memory.</summary>
public sealed class ControlPlaneFilesCheckTests
{
    private const string Path = "control-plane/cp-1.tar";

    private static readonly (string Name, string? Content)[] Kubeadm =
    [
        ("pki/", null), ("pki/ca.crt", "cert"), ("pki/ca.key", "key"), ("pki/etcd/", null), ("pki/etcd/ca.key", "key"),
        ("manifests/", null), ("manifests/etcd.yaml", "kind: Pod"), ("admin.conf", "users:\n- user:\n    client-key-data: AAAA\n"),
    ];

    private static ControlPlaneFilesRecord Record(int files = 5, int keys = 3, IReadOnlyList<string>? entries = null) => new()
    {
        Node = "cp-1", Path = Path, Size = 0, Sha256 = "", Root = "/etc/kubernetes", Entries = entries ?? ["pki", "manifests", "admin.conf"],
        Files = files, PrivateKeyFiles = keys, Pod = "strata-cp-files-x", StartedAt = DateTimeOffset.UnixEpoch, Duration = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task CheckAsync_WholeTarTheManifestRecords_PassesWithItsFacts()
    {
        var (findings, result) = await CheckAsync(Tar(Kubeadm), Record());

        Assert.Empty(findings.Kept);
        Assert.True(result.ReadToEnd);
        Assert.Equal(("5", "3", "pki, manifests, admin.conf", "cp-1"), (result.Facts["files"], result.Facts["private-key files"], result.Facts["entries"], result.Facts["node"]));
    }

    // 6656: every entry whole, the end-of-archive marker missing.
    [Theory]
    [InlineData(100)]
    [InlineData(2048)]
    [InlineData(4608)]
    [InlineData(6656)]
    public async Task CheckAsync_TruncatedTar_Fails(int length)
    {
        var (findings, result) = await CheckAsync(Tar(Kubeadm)[..length], Record());

        Assert.False(result.ReadToEnd);
        Assert.Contains("the tar ends before its end-of-archive marker", Assert.Single(findings.Kept).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../etc/shadow")]
    [InlineData("/etc/shadow")]
    [InlineData("pki/../../root/.ssh/id_rsa")]
    public async Task CheckAsync_PathOutsideTheRoot_Fails(string name)
    {
        var (findings, _) = await CheckAsync(Tar([.. Kubeadm, (name, "x")]), Record(files: 6));

        var finding = Assert.Single(findings.Kept);
        Assert.Contains($"names 1 paths outside the folder it is extracted into (absolute, or climbing with ..): {name}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_RecordedEntryMissing_Fails()
    {
        var (findings, _) = await CheckAsync(Tar([.. Kubeadm.Where(e => !e.Name.StartsWith("manifests", StringComparison.Ordinal))]), Record(files: 4));

        Assert.Equal("manifests was taken from node cp-1 but is not in the tar", Assert.Single(findings.Kept).Message);
    }

    [Fact]
    public async Task CheckAsync_CountsOtherThanRecorded_Fail()
    {
        var (findings, _) = await CheckAsync(Tar(Kubeadm), Record(files: 6, keys: 2));

        Assert.Equal([("files", "6", "5"), ("private-key files", "2", "3")], findings.Kept.Select(f => (f.Entry, f.Expected, f.Found)));
    }

    [Fact]
    public async Task ReadAsync_LongNameClaimingAGibibyte_IsRefusedBeforeItIsRead()
    {
        var tar = Tar(Kubeadm);
        byte[] hostile = [.. tar.AsSpan(0, tar.Length - 1024), .. HostileArchives.Header("././@LongLink"u8.ToArray(), 'L', 1L << 30), .. new byte[1024]];

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => ControlPlaneTar.ReadAsync(new MemoryStream(hostile)));

        Assert.Contains("GNU long name of 1,073,741,824 bytes", refused.Message, StringComparison.Ordinal);
        Assert.Contains("MaxHeaderBytes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_EmptyTar_Fails()
    {
        // What tar writes for no entries: its end-of-archive marker, padded to a 10 KiB record.
        var (findings, _) = await CheckAsync(new byte[10240], Record(files: 0, keys: 0, entries: []));

        Assert.Equal("the tar is empty: it holds no file", Assert.Single(findings.Kept).Message);
    }

    [Fact]
    public async Task CheckAsync_NoRecordInTheManifest_Fails()
    {
        var (findings, _) = await CheckAsync(Tar(Kubeadm), null);

        Assert.Equal("the manifest has no control-plane record of this artifact", Assert.Single(findings.Kept).Message);
    }

    [Fact]
    public void AppliesTo_OnlyControlPlaneTars()
    {
        var check = new ControlPlaneFilesCheck();

        Assert.True(check.AppliesTo(new ArtifactEntry(Path, 1, "")));
        Assert.False(check.AppliesTo(new ArtifactEntry("etcd/snapshot.db", 1, "")));
        Assert.False(check.AppliesTo(new ArtifactEntry("resources.tar.gz", 1, "")));
        Assert.Contains(BackupVerifier.LayerChecks, c => c is ControlPlaneFilesCheck);
    }

    private static byte[] Tar(IEnumerable<(string Name, string? Content)> entries)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new GnuTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, name);
                if (content is not null)
                {
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                }

                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    private static async Task<(VerificationFindings Findings, ArtifactCheckResult Result)> CheckAsync(byte[] tar, ControlPlaneFilesRecord? record)
    {
        var findings = new VerificationFindings();
        var manifest = new BackupManifest
        {
            FormatVersion = 1, Tool = new ToolInfo("strata", "test"), BackupId = "b", Cluster = "prod", Policy = "nightly", ServerVersion = "v1.31.4",
            Scope = new BackupScope().ToSummary(), StartedAt = DateTimeOffset.UnixEpoch, CompletedAt = DateTimeOffset.UnixEpoch, Status = BackupStatus.Succeeded,
            Counts = new ObjectCounts(0, new Dictionary<string, long>(), new Dictionary<string, long>()), GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
            Artifacts = [], Etcd = new EtcdLayerRecord { ControlPlaneFiles = record is null ? [] : [record] },
        };
        var result = await new ControlPlaneFilesCheck().CheckAsync(new ArtifactEntry(Path, tar.Length, ""), new MemoryStream(tar), manifest, findings);
        return (findings, result);
    }
}

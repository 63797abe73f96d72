using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Databases.CloudNativePg;
using Strata.Core.Runs;
using Strata.Core.Verification;

namespace Strata.Core.Tests.Databases.CloudNativePg;

/// <summary>The verification check of <c>cnpg/{namespace}/{cluster}/backup.json</c>, on its own.</summary>
public sealed class CloudNativePgBackupCheckTests
{
    private const string Path = "cnpg/shop/pg-main/backup.json";

    private static readonly CloudNativePgBackup Record = new()
    {
        Namespace = "shop", Cluster = "pg-main", BackupName = "pg-main-strata-x", BackupId = "20261121T023001", Phase = "completed", Path = Path,
    };

    private static JsonObject Backup(string phase = "completed", string backupId = "20261121T023001") => new()
    {
        ["apiVersion"] = "postgresql.cnpg.io/v1",
        ["kind"] = "Backup",
        ["metadata"] = new JsonObject { ["name"] = "pg-main-strata-x", ["namespace"] = "shop" },
        ["spec"] = new JsonObject { ["cluster"] = new JsonObject { ["name"] = "pg-main" } },
        ["status"] = new JsonObject { ["phase"] = phase, ["backupId"] = backupId },
    };

    private static async Task<VerificationFindings> CheckAsync(string content, CloudNativePgBackup? record = null)
    {
        var findings = new VerificationFindings();
        var manifest = new BackupManifest
        {
            FormatVersion = 1, Tool = new ToolInfo("strata", "test"), BackupId = "b", Cluster = "prod", Policy = "nightly", ServerVersion = "v1.31.4",
            Scope = new BackupScope().ToSummary(), StartedAt = DateTimeOffset.UnixEpoch, CompletedAt = DateTimeOffset.UnixEpoch, Status = BackupStatus.Succeeded,
            Counts = new ObjectCounts(0, new Dictionary<string, long>(), new Dictionary<string, long>()), GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
            Artifacts = [], CloudNativePG = [record ?? Record],
        };
        var check = new CloudNativePgBackupCheck();
        var artifact = new ArtifactEntry(Path, content.Length, "");
        Assert.True(check.AppliesTo(artifact));
        await check.CheckAsync(artifact, new MemoryStream(Encoding.UTF8.GetBytes(content)), manifest, findings);
        return findings;
    }

    [Fact]
    public async Task CheckAsync_TheCompletedBackupTheManifestRecords_Passes()
    {
        Assert.Empty((await CheckAsync(Backup().ToJsonString())).Kept);
    }

    [Fact]
    public async Task CheckAsync_ABackupThatIsNotCompleted_Fails()
    {
        var finding = Assert.Single((await CheckAsync(Backup(phase: "failed").ToJsonString())).Kept);

        Assert.Equal(("status.phase", "completed", "failed"), (finding.Entry, finding.Expected, finding.Found));
    }

    [Fact]
    public async Task CheckAsync_AnotherBackupThanTheManifestRecords_Fails()
    {
        var finding = Assert.Single((await CheckAsync(Backup(backupId: "20250101T000000").ToJsonString())).Kept);

        Assert.Equal("status.backupId", finding.Entry);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    public async Task CheckAsync_NotABackupObject_Fails(string content)
    {
        Assert.Contains("not a Backup object", Assert.Single((await CheckAsync(content)).Kept).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppliesTo_OnlyTheCloudNativePgRecords()
    {
        var check = new CloudNativePgBackupCheck();

        Assert.False(check.AppliesTo(new ArtifactEntry("resources.tar.gz", 1, "")));
        Assert.False(check.AppliesTo(new ArtifactEntry("databases/shop/db/app.dump", 1, "")));
    }
}

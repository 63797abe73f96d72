using System.Formats.Tar;
using System.Text;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;
using Strata.Core.Runs;
using Strata.Core.Tests.Artifacts;
using Strata.Core.Verification;

namespace Strata.Core.Tests.Verification;

/// <summary>The objects layer's check of <c>resources.tar.gz</c> on archives no Strata wrote.</summary>
public sealed class ObjectArchiveCheckTests
{
    [Fact]
    public async Task CheckAsync_DocumentNestedTenThousandDeep_FailsTheArchiveNamingTheLimit()
    {
        var (findings, result) = await CheckAsync(HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap, HostileArchives.Nested(10_000))));

        var finding = Assert.Single(findings.Kept);
        Assert.Contains("MaxJsonDepth", finding.Message, StringComparison.Ordinal);
        Assert.Contains(HostileArchives.ConfigMap, finding.Message, StringComparison.Ordinal);
        Assert.False(result.ReadToEnd);
    }

    [Fact]
    public async Task CheckAsync_MalformedDocument_IsAnEntryFindingAndTheArchiveReadsOn()
    {
        var (findings, result) = await CheckAsync(HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap, "{\"apiVersion\": [[["u8.ToArray())));

        Assert.Contains("not a JSON object", Assert.Single(findings.Kept).Message, StringComparison.Ordinal);
        Assert.True(result.ReadToEnd);
    }

    [Fact]
    public async Task CheckAsync_PathTwice_FailsTheArchive()
    {
        var (findings, result) = await CheckAsync(HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.Namespace, HostileArchives.Document(HostileArchives.Namespace))));

        Assert.Contains("appears twice", Assert.Single(findings.Kept).Message, StringComparison.Ordinal);
        Assert.False(result.ReadToEnd);
    }

    [Fact]
    public async Task CheckAsync_Fifo_FailsTheArchive()
    {
        var (findings, _) = await CheckAsync(HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.Fifo, HostileArchives.ConfigMap))));

        Assert.Contains("Fifo", Assert.Single(findings.Kept).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_EncryptedSecrets_EveryValueDecrypts()
    {
        using var key = DataKey.Create();
        var (findings, result) = await CheckAsync(HostileArchives.Build(t => HostileArchives.File(t, SecretPath, EncryptedSecret(key))), key);

        Assert.Empty(findings.Kept);
        Assert.Equal("1", result.Facts["secretsDecrypted"]);
    }

    [Fact]
    public async Task CheckAsync_TamperedSecretValue_IsASecretValuesFindingNamingThePlaceNotTheValue()
    {
        using var key = DataKey.Create();
        var document = Encoding.UTF8.GetString(EncryptedSecret(key));
        var token = System.Text.Json.Nodes.JsonNode.Parse(document)!["data"]!["password"]!.GetValue<string>();
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        var (findings, result) = await CheckAsync(HostileArchives.Build(t => HostileArchives.File(t, SecretPath, Encoding.UTF8.GetBytes(document.Replace(token, tampered, StringComparison.Ordinal)))), key);

        var finding = Assert.Single(findings.Kept);
        Assert.Equal("secret-values", finding.Check);
        Assert.Contains("data/password does not authenticate", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(tampered, finding.Message, StringComparison.Ordinal);
        Assert.True(result.ReadToEnd);
    }

    private const string SecretPath = "resources/core/v1/secrets/namespaces/shop/db.json";

    private static byte[] EncryptedSecret(DataKey key)
    {
        var secret = new KubeObject((System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},"data":{"password":"czNjcjN0"}}""")!);
        SecretValues.EncryptInPlace(secret, SecretPath, key);
        return KubeObjectJson.Serialize(secret);
    }

    private static async Task<(VerificationFindings Findings, ArtifactCheckResult Result)> CheckAsync(byte[] archive, DataKey? key = null)
    {
        var findings = new VerificationFindings();
        var manifest = new BackupManifest
        {
            FormatVersion = ArtifactFormat.Version, Tool = new ToolInfo("strata", "test"), BackupId = "b", Cluster = "prod", Policy = "nightly", ServerVersion = "v1.31.4",
            Scope = new BackupScope().ToSummary(), StartedAt = DateTimeOffset.UnixEpoch, CompletedAt = DateTimeOffset.UnixEpoch, Status = BackupStatus.Succeeded,
            Counts = new ObjectCounts(0, new Dictionary<string, long>(), new Dictionary<string, long>()), GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
            Artifacts = [],
        };
        var result = await new ObjectArchiveCheck(key).CheckAsync(
            new ArtifactEntry(ArtifactLayout.ResourcesArchive, archive.Length, ""), new MemoryStream(archive), manifest, findings);
        return (findings, result);
    }
}

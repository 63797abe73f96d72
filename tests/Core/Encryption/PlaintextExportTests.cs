using System.Security.Cryptography;
using System.Text;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;
using Strata.Core.Runs;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Encryption;

public class PlaintextExportTests
{
    private const string Prefix = "backups/prod/nightly/20261130-010000-abcdef/";
    private const string SecretPath = "resources/core/v1/secrets/namespaces/shop/db.json";

    [Fact]
    public async Task ExportAsync_EncryptedBackup_WritesDocumentsAndArtifactsInPlaintext()
    {
        using var key = DataKey.Create();
        var store = new MemoryArtifactStore();
        var view = new BackupCipherStore(store, Prefix, key, EncryptionPaths.For(EncryptionMode.All));
        var secret = SecretValuesTests.Secret();
        new EncryptSecretValues(key).Execute(new BackupItem(new ApiResource("", "v1", "secrets", "Secret", true, []), secret));
        var dump = RandomNumberGenerator.GetBytes(100_000);
        var artifacts = new[]
        {
            await ArchiveAsync(view, (SecretPath, KubeObjectJson.Serialize(secret)), ("resources/core/v1/namespaces/shop.json", "{}"u8.ToArray())),
            await ArtifactAsync(view, "databases/shop/pg/app.dump", dump),
        };
        var manifest = Manifest(artifacts) with
        {
            Encryption = new EncryptionRecord { Scheme = EncryptionRecord.CurrentScheme, Mode = EncryptionMode.All, WrappedKeys = [], SecretValues = true, EncryptedArtifacts = view.EncryptedPaths },
        };
        var files = new Dictionary<string, MemoryStream>();

        var summary = await PlaintextExport.ExportAsync(view, Prefix, manifest, "{\"exact\":true}"u8.ToArray(), key, (path, _) => Create(files, path));

        Assert.Equal(["databases/shop/pg/app.dump", "manifest.json", "resources/core/v1/namespaces/shop.json", SecretPath], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("{\"exact\":true}"u8.ToArray(), files["manifest.json"].ToArray());
        Assert.Equal(dump, files["databases/shop/pg/app.dump"].ToArray());
        Assert.Contains("\"username\":\"YWRtaW4=\"", Encoding.UTF8.GetString(files[SecretPath].ToArray()));
        Assert.Equal(new PlaintextExportSummary(4, 14 + 2 + dump.Length + files[SecretPath].ToArray().Length, 1), summary);
    }

    [Fact]
    public async Task ExportAsync_UnencryptedBackup_NeedsNoKey()
    {
        var store = new MemoryArtifactStore();
        var manifest = Manifest([await ArtifactAsync(store, "volumes/shop/data.json", "{}"u8.ToArray())]);
        var files = new Dictionary<string, MemoryStream>();

        var summary = await PlaintextExport.ExportAsync(store, Prefix, manifest, "{}"u8.ToArray(), null, (path, _) => Create(files, path));

        Assert.Equal((2, 0), (summary.Files, summary.SecretsDecrypted));
        Assert.Equal("{}"u8.ToArray(), files["volumes/shop/data.json"].ToArray());
    }

    [Theory]
    [InlineData("../outside.dump")]
    [InlineData("/etc/passwd")]
    [InlineData("databases/../../outside.dump")]
    public async Task ExportAsync_ManifestListsAnUnsafePath_IsRefusedBeforeWritingIt(string path)
    {
        var files = new Dictionary<string, MemoryStream>();

        var error = await Assert.ThrowsAsync<ArtifactRejectedException>(() =>
            PlaintextExport.ExportAsync(new MemoryArtifactStore(), Prefix, Manifest([new ArtifactEntry(path, 0, "")]), "{}"u8.ToArray(), null, (p, _) => Create(files, p)));

        Assert.Contains(path, error.Message);
        Assert.Equal(["manifest.json"], files.Keys);
    }

    [Theory]
    [InlineData("resources/../../evil.json")]
    [InlineData("/resources/core/v1/namespaces/evil.json")]
    public async Task ExportAsync_ArchiveEntryClimbsOut_IsRefusedNamingIt(string entry)
    {
        var store = new MemoryArtifactStore();
        var manifest = Manifest([await ArchiveAsync(store, (entry, "{}"u8.ToArray()))]);
        var files = new Dictionary<string, MemoryStream>();

        var error = await Assert.ThrowsAsync<ArtifactRejectedException>(() =>
            PlaintextExport.ExportAsync(store, Prefix, manifest, "{}"u8.ToArray(), null, (p, _) => Create(files, p)));

        Assert.Contains(entry, error.Message);
        Assert.Equal(["manifest.json"], files.Keys);
    }

    [Fact]
    public async Task ExportAsync_ArtifactDiffersFromTheManifest_IsRefused()
    {
        var store = new MemoryArtifactStore();
        var entry = await ArtifactAsync(store, "volumes/shop/data.json", "{}"u8.ToArray());
        var manifest = Manifest([entry with { Sha256 = new string('0', 64) }]);

        var error = await Assert.ThrowsAsync<ArtifactRejectedException>(() =>
            PlaintextExport.ExportAsync(store, Prefix, manifest, "{}"u8.ToArray(), null, (p, _) => Create([], p)));

        Assert.Contains("volumes/shop/data.json", error.Message);
    }

    [Fact]
    public async Task ExportAsync_ArchiveDiffersFromTheManifest_WritesNoDocument()
    {
        var store = new MemoryArtifactStore();
        var archive = await ArchiveAsync(store, (SecretPath, "{\"data\":{}}"u8.ToArray()));
        var manifest = Manifest([archive with { Sha256 = new string('0', 64) }]);
        var files = new Dictionary<string, MemoryStream>();

        var error = await Assert.ThrowsAsync<ArtifactRejectedException>(() =>
            PlaintextExport.ExportAsync(store, Prefix, manifest, "{}"u8.ToArray(), null, (p, _) => Create(files, p)));

        Assert.Contains(ArtifactLayout.ResourcesArchive, error.Message);
        Assert.Equal(["manifest.json"], files.Keys);
    }

    [Fact]
    public async Task ExportAsync_EncryptedSecretsWithoutAKey_IsRefused()
    {
        var manifest = Manifest([]) with { Encryption = new EncryptionRecord { Scheme = EncryptionRecord.CurrentScheme, Mode = EncryptionMode.Secrets, WrappedKeys = [], SecretValues = true } };

        await Assert.ThrowsAsync<ArgumentException>(() => PlaintextExport.ExportAsync(new MemoryArtifactStore(), Prefix, manifest, "{}"u8.ToArray(), null, (p, _) => Create([], p)));
    }

    private static Task<Stream> Create(Dictionary<string, MemoryStream> files, string path)
    {
        var stream = new MemoryStream();
        files.Add(path, stream);
        return Task.FromResult<Stream>(stream);
    }

    private static async Task<ArtifactEntry> ArchiveAsync(Core.Ports.IArtifactStore store, params (string Path, byte[] Content)[] entries)
    {
        await using var writer = await store.CreateAsync(Prefix + ArtifactLayout.ResourcesArchive);
        ArtifactEntry artifact;
        await using (var archive = new ResourceArchiveWriter(writer.Content, DateTimeOffset.UnixEpoch))
        {
            foreach (var (path, content) in entries)
            {
                await archive.WriteEntryAsync(path, content);
            }

            artifact = await archive.CompleteAsync(ArtifactLayout.ResourcesArchive);
        }

        await writer.CommitAsync();
        return artifact;
    }

    private static async Task<ArtifactEntry> ArtifactAsync(Core.Ports.IArtifactStore store, string path, byte[] content)
    {
        await BackupCipherStoreTests.WriteAsync(store, Prefix + path, content);
        return new ArtifactEntry(path, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private static BackupManifest Manifest(IReadOnlyList<ArtifactEntry> artifacts) => new()
    {
        FormatVersion = ArtifactFormat.Version, Tool = new ToolInfo("strata", "test"), BackupId = "b", Cluster = "prod", Policy = "nightly", ServerVersion = "v1.31.4",
        Scope = new BackupScope().ToSummary(), StartedAt = DateTimeOffset.UnixEpoch, CompletedAt = DateTimeOffset.UnixEpoch, Status = BackupStatus.Succeeded,
        Counts = new ObjectCounts(0, new Dictionary<string, long>(), new Dictionary<string, long>()), GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
        Artifacts = artifacts,
    };
}

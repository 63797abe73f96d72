using System.Security.Cryptography;
using Strata.Core.Encryption;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Encryption;

public class BackupCipherStoreTests
{
    private const string Prefix = "backups/prod/nightly/20261130-010000-abcdef/";

    private static readonly DataKey Key = DataKey.Create();

    [Fact]
    public async Task CreateAsync_EncryptedPath_StoresTheChunkedFormat_AndReadsBackPlaintext()
    {
        var inner = new MemoryArtifactStore();
        var store = new BackupCipherStore(inner, Prefix, Key, EncryptionPaths.For(EncryptionMode.All));
        var plaintext = RandomNumberGenerator.GetBytes(200_000);

        await WriteAsync(store, Prefix + "databases/shop/pg/app.dump", plaintext);

        var stored = inner.Artifacts[Prefix + "databases/shop/pg/app.dump"];
        Assert.Equal("STRATAE1"u8.ToArray(), stored[..8]);
        Assert.Equal(plaintext, await ReadAsync(store, Prefix + "databases/shop/pg/app.dump"));
        Assert.Equal(["databases/shop/pg/app.dump"], store.EncryptedPaths);
    }

    [Fact]
    public async Task CreateAsync_OtherPaths_PassThrough()
    {
        var inner = new MemoryArtifactStore();
        var store = new BackupCipherStore(inner, Prefix, Key, EncryptionPaths.For(EncryptionMode.Secrets));

        await WriteAsync(store, Prefix + "resources.tar.gz", [1, 2, 3]);
        await WriteAsync(store, Prefix + "databases/shop/pg/app.dump", [4, 5]);
        await WriteAsync(store, "backups/prod/nightly/other/control-plane/node.tar", [6]);

        Assert.Equal([1, 2, 3], inner.Artifacts[Prefix + "resources.tar.gz"]);
        Assert.Equal([4, 5], inner.Artifacts[Prefix + "databases/shop/pg/app.dump"]);
        Assert.Equal([6], inner.Artifacts["backups/prod/nightly/other/control-plane/node.tar"]);
        Assert.Empty(store.EncryptedPaths);
    }

    [Fact]
    public async Task DisposeAsync_WithoutCommit_CommitsNothing()
    {
        var inner = new MemoryArtifactStore();
        var store = new BackupCipherStore(inner, Prefix, Key, EncryptionPaths.For(EncryptionMode.All));

        await using (var writer = await store.CreateAsync(Prefix + "etcd/snapshot.db"))
        {
            await writer.Content.WriteAsync(new byte[100_000]);
        }

        Assert.Empty(inner.Artifacts);
        Assert.Empty(store.EncryptedPaths);
    }

    [Fact]
    public async Task CommitAsync_AfterTheCallerDisposedContent_StillCommitsAWholeArtifact()
    {
        var inner = new MemoryArtifactStore();
        var store = new BackupCipherStore(inner, Prefix, Key, EncryptionPaths.For(EncryptionMode.All));

        await using (var writer = await store.CreateAsync(Prefix + "etcd/snapshot.db"))
        {
            await using (var content = writer.Content)
            {
                await content.WriteAsync(new byte[] { 9, 8, 7 });
            }

            await writer.CommitAsync();
        }

        Assert.Equal([9, 8, 7], await ReadAsync(store, Prefix + "etcd/snapshot.db"));
    }

    [Fact]
    public async Task ListAsync_EncryptedArtifact_ReportsItsPlaintextSize()
    {
        var inner = new MemoryArtifactStore();
        var store = new BackupCipherStore(inner, Prefix, Key, EncryptionPaths.For(EncryptionMode.All));
        await WriteAsync(store, Prefix + "etcd/snapshot.db", new byte[ChunkedFormat.DefaultChunkSize * 2]);
        await WriteAsync(store, Prefix + "manifest.json", new byte[10]);

        var listed = await store.ListAsync(Prefix).ToListAsync();

        Assert.Equal([(Prefix + "etcd/snapshot.db", ChunkedFormat.DefaultChunkSize * 2L), (Prefix + "manifest.json", 10L)], listed.Select(a => (a.Key, a.Size)));
    }

    [Fact]
    public async Task OpenReadAsync_ArtifactSwappedForAnother_IsRefused()
    {
        var inner = new MemoryArtifactStore();
        var store = new BackupCipherStore(inner, Prefix, Key, EncryptionPaths.For(EncryptionMode.All));
        await WriteAsync(store, Prefix + "databases/shop/pg/a.dump", [1, 2, 3]);
        await WriteAsync(store, Prefix + "databases/shop/pg/b.dump", [4, 5, 6]);
        (inner.Artifacts[Prefix + "databases/shop/pg/a.dump"], inner.Artifacts[Prefix + "databases/shop/pg/b.dump"]) =
            (inner.Artifacts[Prefix + "databases/shop/pg/b.dump"], inner.Artifacts[Prefix + "databases/shop/pg/a.dump"]);

        var error = await Assert.ThrowsAsync<ArtifactDecryptionException>(() => ReadAsync(store, Prefix + "databases/shop/pg/a.dump"));

        Assert.Contains("databases/shop/pg/a.dump", error.Message);
    }

    internal static async Task WriteAsync(Core.Ports.IArtifactStore store, string key, byte[] content)
    {
        await using var writer = await store.CreateAsync(key);
        await writer.Content.WriteAsync(content);
        await writer.CommitAsync();
    }

    private static async Task<byte[]> ReadAsync(Core.Ports.IArtifactStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key);
        var output = new MemoryStream();
        await stream.CopyToAsync(output);
        return output.ToArray();
    }
}

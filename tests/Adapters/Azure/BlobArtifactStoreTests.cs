using System.Security.Cryptography;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Blob;
using Strata.Core.Ports;
using Strata.TestKit;
using Strata.TestKit.Azure;

namespace Strata.Adapters.Tests.Azure;

/// <summary>The Blob artifact store on the SDK against Azurite: real HTTP, real SharedKey checks.</summary>
public sealed class BlobArtifactStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static BlobClientOptions Client(CountingPolicy? counter = null)
    {
        var options = StorageClientDefaults.Blob();
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxRetries = 2;
        if (counter is not null)
        {
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        }

        return options;
    }

    private static BlobStoreOptions Options(int blockSize = 64 * 1024, int listPageSize = 5000) => new()
    {
        Transfer = new StorageTransferOptions { InitialTransferSize = blockSize, MaximumTransferSize = blockSize, MaximumConcurrency = 3 },
        ListPageSize = listPageSize,
    };

    private BlobArtifactStore Store(string container, CountingPolicy? counter = null, BlobStoreOptions? options = null, StorageAccount? account = null)
    {
        account ??= azurite.Account;
        return new BlobArtifactStore(
            account.CreateBlobServiceClient(Client(counter)).GetBlobContainerClient(container), account.CreateBlobSecondaryClient(Client()), options ?? Options());
    }

    private StorageAccount Through(Uri primary, Uri? secondary = null) =>
        new(StorageAccount.DevelopmentAccount, StorageAccount.DevelopmentKey, new StorageEndpoints(primary, secondary));

    private static async Task WriteAsync(IArtifactStore store, string key, byte[] content, int chunk = 10_000)
    {
        await using var writer = await store.CreateAsync(key);
        for (var offset = 0; offset < content.Length; offset += chunk)
        {
            await writer.Content.WriteAsync(content.AsMemory(offset, Math.Min(chunk, content.Length - offset)));
        }

        await writer.CommitAsync();
    }

    private static async Task<byte[]> ReadAsync(IArtifactStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task Upload_LargeArtifact_GoesUpInParallelBlocks_AndReadsBackIdentical()
    {
        var counter = new CountingPolicy();
        var store = Store(AzuriteFixture.UniqueName("blocks"), counter);
        var content = RandomNumberGenerator.GetBytes(1_000_000);

        await WriteAsync(store, "backups/c/p/1/resources.tar.gz", content);

        Assert.Equal(16, counter.Count("PUT block"));
        Assert.Equal(1, counter.Count("PUT blocklist"));
        Assert.True(counter.MaxInFlight > 1, $"blocks went up one at a time ({counter.MaxInFlight})");
        Assert.Equal(content, await ReadAsync(store, "backups/c/p/1/resources.tar.gz"));
        var listed = await store.ListAsync("backups/c/p/1/").ToListAsync();
        Assert.Equal(new ArtifactInfo("backups/c/p/1/resources.tar.gz", content.Length), Assert.Single(listed));
    }

    [Fact]
    public async Task Upload_SmallArtifact_IsOnePutBlob_WithItsSha256()
    {
        var counter = new CountingPolicy();
        var store = Store(AzuriteFixture.UniqueName("small"), counter);
        var content = "{\"formatVersion\":1}"u8.ToArray();

        await WriteAsync(store, "manifest.json", content);

        Assert.Equal(1, counter.Count("PUT"));
        Assert.Equal(0, counter.Count("PUT block"));
        Assert.Equal(content, await ReadAsync(store, "manifest.json"));
    }

    [Fact]
    public async Task Create_ExistingKey_IsRefused_AndARacingCommitDoesNotOverwrite()
    {
        var store = Store(AzuriteFixture.UniqueName("worm"));
        await using var first = await store.CreateAsync("a/manifest.json");
        await using var second = await store.CreateAsync("a/manifest.json");
        await first.Content.WriteAsync("first"u8.ToArray());
        await second.Content.WriteAsync("second"u8.ToArray());

        await first.CommitAsync();
        await Assert.ThrowsAsync<ArtifactExistsException>(() => second.CommitAsync());
        await Assert.ThrowsAsync<ArtifactExistsException>(() => store.CreateAsync("a/manifest.json"));
        Assert.Equal("first"u8.ToArray(), await ReadAsync(store, "a/manifest.json"));
    }

    [Fact]
    public async Task Commit_SameContentAlreadyThere_IsTheRetriedCommitThatLanded()
    {
        var store = Store(AzuriteFixture.UniqueName("retry"));
        var content = RandomNumberGenerator.GetBytes(200_000);
        await using var first = await store.CreateAsync("a/resources.tar.gz");
        await using var retried = await store.CreateAsync("a/resources.tar.gz");
        await first.Content.WriteAsync(content);
        await retried.Content.WriteAsync(content);

        await first.CommitAsync();
        await retried.CommitAsync();

        Assert.Equal(content, await ReadAsync(store, "a/resources.tar.gz"));
    }

    [Fact]
    public async Task Upload_NotCommitted_LeavesNothingVisible()
    {
        var store = Store(AzuriteFixture.UniqueName("abandon"));
        await using (var writer = await store.CreateAsync("x/resources.tar.gz"))
        {
            await writer.Content.WriteAsync(RandomNumberGenerator.GetBytes(300_000));
        }

        Assert.Empty(await store.ListAsync("x/").ToListAsync());
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.OpenReadAsync("x/resources.tar.gz"));
    }

    [Fact]
    public async Task Read_Seek_ReadsTheRangeAsked()
    {
        var store = Store(AzuriteFixture.UniqueName("range"));
        var content = RandomNumberGenerator.GetBytes(200_000);
        await WriteAsync(store, "data.bin", content);

        await using var stream = await store.OpenReadAsync("data.bin");
        stream.Seek(150_000, SeekOrigin.Begin);
        var tail = new byte[60_000];
        var read = await stream.ReadAtLeastAsync(tail, tail.Length, throwOnEndOfStream: false);

        Assert.Equal(200_000, stream.Length);
        Assert.Equal(50_000, read);
        Assert.Equal(content[150_000..], tail[..read]);
    }

    [Fact]
    public async Task Read_ConnectionDroppedTwice_ResumesWhereItStopped()
    {
        var container = AzuriteFixture.UniqueName("resume");
        var content = RandomNumberGenerator.GetBytes(3_000_000);
        await WriteAsync(Store(container), "big.bin", content);
        await using var proxy = new DroppingProxy(azurite.BlobPort, dropAfterBytes: 700_000, drops: 2);
        var counter = new CountingPolicy();

        var read = await ReadAsync(Store(container, counter, account: Through(new Uri($"http://127.0.0.1:{proxy.Port}/devstoreaccount1"))), "big.bin");

        Assert.Equal(2, proxy.Dropped);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(read));

        // One streamed Get Blob; each resumed request asks for the rest from where the data stopped, of the same blob version.
        var gets = counter.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal(3, gets.Count);
        Assert.Equal((null, null), (gets[0].Range, gets[0].IfMatch));
        Assert.NotNull(gets[1].IfMatch);
        Assert.Equal(gets[1].IfMatch, gets[2].IfMatch);
        var starts = gets.Skip(1).Select(r => RangeStart(r.Range)).ToList();
        Assert.True(starts[0] > 0 && starts[1] > starts[0], string.Join(", ", starts));
    }

    /// <summary>N of <c>bytes=N-M</c>.</summary>
    private static long RangeStart(string? range)
    {
        Assert.NotNull(range);
        return long.Parse(range["bytes=".Length..range.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task List_AcrossPages_ReturnsEveryKeyInOrder()
    {
        var counter = new CountingPolicy();
        var store = Store(AzuriteFixture.UniqueName("pages"), counter, Options(listPageSize: 5));
        var keys = Enumerable.Range(0, 12).Select(i => $"backups/c/p/{i:D2}/manifest.json").ToList();
        foreach (var key in keys)
        {
            await WriteAsync(store, key, "{}"u8.ToArray());
        }

        await WriteAsync(store, "elsewhere/manifest.json", "{}"u8.ToArray());

        var listed = await store.ListAsync("backups/").Select(a => a.Key).ToListAsync();

        Assert.Equal(keys, listed);
        Assert.Equal(3, counter.Count("GET list"));
    }

    [Fact]
    public async Task Read_PrimaryUnreachable_FallsBackToTheSecondary()
    {
        // The SDK retries reads on the secondary's host (RA-GRS: ACCOUNT-secondary.blob…). Here the
        // primary is a loopback address Azurite does not listen on, the secondary the one it does.
        var container = AzuriteFixture.UniqueName("geo");
        await WriteAsync(Store(container), "backups/c/p/1/manifest.json", "{\"ok\":true}"u8.ToArray());
        var store = Store(container, account: Through(
            new Uri($"http://127.0.0.2:{azurite.BlobPort}/devstoreaccount1"),
            new Uri($"http://127.0.0.1:{azurite.BlobPort}/devstoreaccount1")));

        Assert.Equal("{\"ok\":true}"u8.ToArray(), await ReadAsync(store, "backups/c/p/1/manifest.json"));
        Assert.Single(await store.ListAsync("backups/").ToListAsync());
        var writeError = await Assert.ThrowsAsync<StorageRequestException>(() => store.CreateAsync("backups/c/p/2/manifest.json"));
        Assert.Equal(0, writeError.Status);
        Assert.True(writeError.IsTransient);
        Assert.StartsWith($"Create Container '{container}' failed: the service could not be reached after 3 tries (", writeError.Message);
        Assert.Contains($"127.0.0.2:{azurite.BlobPort}", writeError.Message);
    }

    [Fact]
    public async Task GetReplication_ReadsTheSecondarysLastSyncTime()
    {
        var store = Store(AzuriteFixture.UniqueName("stats"));

        var replication = await store.GetReplicationAsync();

        Assert.Equal(BlobGeoReplicationStatus.Live, replication.Status);
        Assert.NotNull(replication.LastSyncedOn);
        // Azurite reports its own clock as the last sync time, so two reads may differ by a second.
        var again = await store.GetLastSyncTimeAsync();
        Assert.NotNull(again);
        Assert.InRange(again.Value - replication.LastSyncedOn.Value, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.InRange(DateTimeOffset.UtcNow - again.Value, TimeSpan.FromSeconds(-5), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Delete_UnlockedArtifact_IsDeleted_ThenNotFound()
    {
        var store = Store(AzuriteFixture.UniqueName("delete"));
        await WriteAsync(store, "old/manifest.json", "{}"u8.ToArray());

        Assert.Equal(ArtifactDeletionOutcome.Deleted, (await store.DeleteAsync("old/manifest.json")).Outcome);
        Assert.Equal(ArtifactDeletionOutcome.NotFound, (await store.DeleteAsync("old/manifest.json")).Outcome);
    }

    [Fact]
    public async Task WrongKey_IsRefused_WithTheServiceCode_AndNoSecretInTheMessage()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var store = Store("refused", account: new StorageAccount(StorageAccount.DevelopmentAccount, key, azurite.Account.Blob));

        var error = await Assert.ThrowsAsync<StorageRequestException>(() => store.CreateAsync("k"));

        Assert.Equal(403, error.Status);
        Assert.False(error.IsTransient);
        Assert.StartsWith("Create Container 'refused' failed: 403", error.Message);
        Assert.Single(error.Message.Split('\n'));
        Assert.DoesNotContain("SharedKey", error.Message);
        Assert.DoesNotContain(key, error.Message);
    }
}

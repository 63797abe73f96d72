using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Blob;
using Strata.Core.Ports;
using Strata.TestKit.Azure;

namespace Strata.Adapters.Tests.Azure;

/// <summary>
/// What the SDK-based store sends for write-once, what it does with the answers, and how it
/// retries — against a recording fake that answers as the REST reference says (Azurite ignores
/// the write-once headers, answers 501 to the lock calls and speaks no CRC64 structured bodies).
/// Also bearer-token authorization, which the fake's HTTPS endpoint lets us observe.
/// </summary>
public sealed class WriteOnceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private readonly PinnedTime _time = new(Now);
    private RecordingBlobService _service = null!;

    public async Task InitializeAsync() => _service = await RecordingBlobService.StartAsync(_time);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private BlobArtifactStore Store(
        WriteOncePolicy? writeOnce, TokenCredential? credential = null, int retries = 0, StorageChecksumAlgorithm checksum = StorageChecksumAlgorithm.MD5)
    {
        var client = StorageClientDefaults.Blob();
        client.Retry.MaxRetries = retries;
        client.Retry.Delay = TimeSpan.FromMilliseconds(10);
        client.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && _service.Certificates.Verify(new(certificate)),
        });
        var endpoints = new StorageEndpoints(_service.Endpoint);
        var account = credential is null
            ? new StorageAccount("account", Convert.ToBase64String(new byte[32]), endpoints)
            : new StorageAccount(credential, endpoints);
        var options = new BlobStoreOptions
        {
            Time = _time,
            Transfer = new StorageTransferOptions { InitialTransferSize = 1024, MaximumTransferSize = 1024, MaximumConcurrency = 2 },
            TransferChecksum = checksum,
        };
        return new BlobArtifactStore(account.CreateBlobServiceClient(client).GetBlobContainerClient("backups"), options: options, writeOnce: writeOnce);
    }

    private static async Task WriteAsync(IArtifactStore store, string key, byte[] content)
    {
        await using var writer = await store.CreateAsync(key);
        await writer.Content.WriteAsync(content);
        await writer.CommitAsync();
    }

    private static Task WriteAsync(IArtifactStore store, string key, int size) => WriteAsync(store, key, new byte[size]);

    private RecordedRequest Last(string method, string comp) =>
        _service.Requests.Last(r => r.Method == method && (comp.Length == 0 ? !r.PathAndQuery.Contains("comp=") && !r.PathAndQuery.Contains("restype=") : r.PathAndQuery.Contains("comp=" + comp)));

    [Fact]
    public async Task Commit_WithPolicy_SendsRetainUntilAndMode_OnPutBlockList()
    {
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(30), BlobImmutabilityPolicyMode.Locked));

        await WriteAsync(store, "c/p/1/resources.tar.gz", 5000);

        var commit = Last("PUT", "blocklist");
        Assert.Equal("Mon, 21 Dec 2026 10:00:00 GMT", commit.Headers["x-ms-immutability-policy-until-date"]);
        Assert.Equal("Locked", commit.Headers["x-ms-immutability-policy-mode"]);
        Assert.Equal("*", commit.Headers["If-None-Match"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[5000])), commit.Headers["x-ms-meta-sha256"]);
        Assert.False(commit.Headers.ContainsKey("x-ms-legal-hold"));
        var blocks = _service.Requests.Where(r => r.PathAndQuery.Contains("comp=block&")).ToList();
        Assert.Equal(5, blocks.Count);
        Assert.All(blocks, r => Assert.True(r.Headers.ContainsKey("Content-MD5")));
    }

    [Fact]
    public async Task Commit_SmallArtifactWithLegalHold_SendsTheHeadersOnPutBlob()
    {
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(7), LegalHold: true));

        await WriteAsync(store, "c/p/1/manifest.json", 100);

        var put = Last("PUT", "");
        Assert.Equal("Sat, 28 Nov 2026 10:00:00 GMT", put.Headers["x-ms-immutability-policy-until-date"]);
        Assert.Equal("Unlocked", put.Headers["x-ms-immutability-policy-mode"]);
        Assert.Equal("true", put.Headers["x-ms-legal-hold"]);
        Assert.Equal("*", put.Headers["If-None-Match"]);
        Assert.True(put.Headers.ContainsKey("Content-MD5"));
        Assert.DoesNotContain(_service.Requests, r => r.PathAndQuery.Contains("comp=block"));
    }

    [Fact]
    public async Task Commit_ApplyAfterCommit_SetsThePolicyWithItsOwnCall()
    {
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(1), BlobImmutabilityPolicyMode.Locked, LegalHold: true, ApplyAfterCommit: true));

        await WriteAsync(store, "c/p/1/manifest.json", 100);

        Assert.False(Last("PUT", "").Headers.ContainsKey("x-ms-immutability-policy-until-date"));
        var policy = Last("PUT", "immutabilityPolicies");
        Assert.Equal("Sun, 22 Nov 2026 10:00:00 GMT", policy.Headers["x-ms-immutability-policy-until-date"]);
        Assert.Equal("Locked", policy.Headers["x-ms-immutability-policy-mode"]);
        Assert.Equal("true", Last("PUT", "legalhold").Headers["x-ms-legal-hold"]);
        Assert.Equal((Now.AddDays(1), "Locked", true), _service.Lock("backups/c/p/1/manifest.json"));
    }

    [Fact]
    public async Task Delete_LockedArtifact_IsReportedLockedUntilItsDate_AndNotSent()
    {
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(30), BlobImmutabilityPolicyMode.Locked));
        await WriteAsync(store, "c/p/1/manifest.json", 10);

        var deletion = await store.DeleteAsync("c/p/1/manifest.json");

        Assert.Equal(ArtifactDeletionOutcome.Locked, deletion.Outcome);
        Assert.Equal(Now.AddDays(30), deletion.LockedUntil);
        Assert.Equal("c/p/1/manifest.json: locked until 2026-12-21T10:00:00Z", deletion.ToString());
        Assert.DoesNotContain(_service.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Delete_AfterTheLockExpired_Deletes()
    {
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(1)));
        await WriteAsync(store, "c/p/1/manifest.json", 10);
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(ArtifactDeletionOutcome.Deleted, (await store.DeleteAsync("c/p/1/manifest.json")).Outcome);
        Assert.Equal(ArtifactDeletionOutcome.NotFound, (await store.DeleteAsync("c/p/1/manifest.json")).Outcome);
    }

    [Fact]
    public async Task Delete_RefusedByTheServiceWithBlobImmutableDueToPolicy_IsLocked_NotAFailure()
    {
        var store = Store(writeOnce: null);
        await WriteAsync(store, "c/p/1/manifest.json", 10);
        _service.ContainerLocked["backups/c/p/1/manifest.json"] = true;

        var deletion = await store.DeleteAsync("c/p/1/manifest.json");

        Assert.Equal(ArtifactDeletionOutcome.Locked, deletion.Outcome);
        Assert.Contains(_service.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Delete_UnderLegalHold_IsLocked()
    {
        var store = Store(writeOnce: null);
        await WriteAsync(store, "c/p/1/manifest.json", 10);
        await store.SetLegalHoldAsync("c/p/1/manifest.json", true);

        var deletion = await store.DeleteAsync("c/p/1/manifest.json");

        Assert.Equal("c/p/1/manifest.json: locked (legal hold)", deletion.ToString());
    }

    [Fact]
    public async Task Commit_ResponseLost_RetryFindsItsOwnBlob_AndSucceeds()
    {
        var store = Store(writeOnce: null, retries: 2);
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3000);
        _service.LoseNextCommitResponse();

        await WriteAsync(store, "c/p/1/databases/app.dump", content);

        Assert.Equal(2, _service.Requests.Count(r => r.PathAndQuery.Contains("comp=blocklist")));
        Assert.Equal(content, _service.Content("backups/c/p/1/databases/app.dump"));
    }

    [Fact]
    public async Task Commit_ServiceBusy_IsRetried()
    {
        var store = Store(writeOnce: null, retries: 3);
        await using var writer = await store.CreateAsync("c/p/1/manifest.json");
        await writer.Content.WriteAsync(new byte[10]);
        _service.FailNext(2);

        await writer.CommitAsync();

        Assert.Equal(3, _service.Requests.Count(r => r.Method == "PUT" && !r.PathAndQuery.Contains('?')));
        Assert.NotNull(_service.Content("backups/c/p/1/manifest.json"));
    }

    [Fact]
    public async Task Commit_ServiceBusyPastTheRetries_FailsAsTransient_NamingTheBlob()
    {
        var store = Store(writeOnce: null, retries: 1);
        await using var writer = await store.CreateAsync("c/p/1/manifest.json");
        await writer.Content.WriteAsync(new byte[10]);
        _service.FailNext(2);

        var error = await Assert.ThrowsAsync<StorageRequestException>(() => writer.CommitAsync());

        Assert.Equal((503, "ServerBusy", true), (error.Status, error.ErrorCode, error.IsTransient));
        Assert.StartsWith("Put Blob 'backups/c/p/1/manifest.json' failed: 503 ServerBusy", error.Message);
        Assert.Single(error.Message.Split('\n'));
    }

    [Fact]
    public async Task Upload_WithCrc64_SendsStructuredBodiesTheServiceChecks()
    {
        var store = Store(writeOnce: null, checksum: StorageChecksumAlgorithm.StorageCrc64);
        var large = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2500);
        var small = System.Security.Cryptography.RandomNumberGenerator.GetBytes(300);

        await WriteAsync(store, "c/p/1/resources.tar.gz", large);
        await WriteAsync(store, "c/p/1/manifest.json", small);

        Assert.Equal(large, _service.Content("backups/c/p/1/resources.tar.gz"));
        Assert.Equal(small, _service.Content("backups/c/p/1/manifest.json"));
        Assert.All(
            _service.Requests.Where(r => r.PathAndQuery.Contains("comp=block&") || (r.Method == "PUT" && r.PathAndQuery.EndsWith("manifest.json", StringComparison.Ordinal))),
            r => Assert.StartsWith("XSM/1.0; properties=crc64", r.Headers["x-ms-structured-body"]));
    }

    [Fact]
    public async Task Read_Seek_AsksForTheRestOfTheSameVersion()
    {
        var store = Store(writeOnce: null);
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(100);
        await WriteAsync(store, "c/p/1/manifest.json", content);

        await using var stream = await store.OpenReadAsync("c/p/1/manifest.json");
        stream.Seek(60, SeekOrigin.Begin);
        using var read = new MemoryStream();
        await stream.CopyToAsync(read);

        Assert.Equal(content[60..], read.ToArray());
        var get = _service.Requests.Last(r => r.Method == "GET");
        Assert.Equal("\"0x1\"", get.Headers["If-Match"]);
        Assert.Equal("bytes=60-", get.Headers["x-ms-range"]);
    }

    [Fact]
    public async Task TokenCredential_SendsABearerToken_ForTheStorageScope()
    {
        var credential = new RecordingCredential("token-for-storage");
        var store = Store(writeOnce: null, credential);

        await WriteAsync(store, "c/p/1/manifest.json", 10);

        Assert.All(_service.Requests, r => Assert.Equal("Bearer token-for-storage", r.Headers["Authorization"]));
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes.Distinct());
    }

    private sealed class PinnedTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}

using Azure.Core;
using Azure.Core.Pipeline;
using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Blob;
using Strata.Core.Ports;
using Strata.TestKit.Azure;

namespace Strata.Adapters.Tests.Azure;

/// <summary>
/// Write-once headers and the locked-delete path, against a recording fake that answers as the
/// REST reference says (Azurite ignores these headers and answers 501 to the lock calls).
/// Also bearer-token authorization, which the fake's HTTPS endpoint lets us observe.
/// </summary>
public sealed class WriteOnceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private readonly PinnedTime _time = new(Now);
    private RecordingBlobService _service = null!;

    public async Task InitializeAsync() => _service = await RecordingBlobService.StartAsync(_time);

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private BlobArtifactStore Store(WriteOncePolicy? writeOnce, TokenCredential? credential = null)
    {
        var options = new StorageClientOptions { Time = _time, BlockSize = 1024, SingleUploadLimit = 1024 };
        options.Retry.MaxRetries = 0;
        options.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && _service.Certificates.Verify(new(certificate)),
        });
        StorageAuthentication authentication = credential is null
            ? new StorageAuthentication.Key(new StorageSharedKey("account", new byte[32]))
            : new StorageAuthentication.Token(credential);
        return new BlobArtifactStore(new StorageEndpoints(_service.Endpoint, null), "backups", authentication, options, writeOnce);
    }

    private static async Task WriteAsync(IArtifactStore store, string key, int size)
    {
        await using var writer = await store.CreateAsync(key);
        await writer.Content.WriteAsync(new byte[size]);
        await writer.CommitAsync();
    }

    private RecordedRequest Last(string method, string comp) =>
        _service.Requests.Last(r => r.Method == method && (comp.Length == 0 ? !r.PathAndQuery.Contains("comp=") : r.PathAndQuery.Contains("comp=" + comp)));

    [Fact]
    public async Task Commit_WithPolicy_SendsRetainUntilAndMode_OnPutBlockList()
    {
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(30), ImmutabilityMode.Locked));

        await WriteAsync(store, "c/p/1/resources.tar.gz", 5000);

        var commit = Last("PUT", "blocklist");
        Assert.Equal("Mon, 21 Dec 2026 10:00:00 GMT", commit.Headers["x-ms-immutability-policy-until-date"]);
        Assert.Equal("Locked", commit.Headers["x-ms-immutability-policy-mode"]);
        Assert.Equal("*", commit.Headers["If-None-Match"]);
        Assert.False(commit.Headers.ContainsKey("x-ms-legal-hold"));
        Assert.All(_service.Requests.Where(r => r.PathAndQuery.Contains("comp=block&")), r => Assert.True(r.Headers.ContainsKey("Content-MD5")));
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
    }

    [Fact]
    public async Task Commit_ApplyAfterCommit_SetsThePolicyWithItsOwnCall()
    {
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(1), ImmutabilityMode.Locked, LegalHold: true, ApplyAfterCommit: true));

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
        var store = Store(new WriteOncePolicy(TimeSpan.FromDays(30), ImmutabilityMode.Locked));
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

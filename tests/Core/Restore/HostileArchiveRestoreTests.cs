using System.Formats.Tar;
using Strata.Core.Artifacts;
using Strata.Core.Restore;
using Strata.Core.Runs;
using Strata.Core.Tests.Artifacts;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Restore;

public class HostileArchiveRestoreTests
{
    private const string BackupId = "20260101-000000-0000dd";

    public static TheoryData<string, byte[], string> Archives() => new()
    {
        { "link", HostileArchives.Build(t => t.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, HostileArchives.ConfigMap) { LinkName = "/etc/shadow" })), "a link" },
        { "duplicate", HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.Namespace, HostileArchives.Document(HostileArchives.Namespace))), "appears twice" },
        { "nested 10,000 deep", HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap, HostileArchives.Nested(10_000))), "MaxJsonDepth" },
        { "header claiming 1 GiB", HostileArchives.BuildRaw(HostileArchives.Header("././@LongLink"u8.ToArray(), 'L', 1L << 30)), "MaxHeaderBytes" },
        { "document not UTF-8", HostileArchives.Build(t => HostileArchives.File(t, HostileArchives.ConfigMap, [.. "{\"apiVersion\":\"v1\",\"kind\":\""u8, 0xFF, .. "\"}"u8])), "not valid UTF-8" },
        { "non-UTF-8 name", HostileArchives.BuildRaw(HostileArchives.RawFile([.. "resources/core/v1/configmaps/namespaces/shop/"u8, 0xFF, .. ".json"u8], HostileArchives.Document(HostileArchives.ConfigMap))), "not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Archives))]
    public async Task RunAsync_HostileEntryAfterGoodOnes_IsRefusedBeforeTheFirstApply(string scenario, byte[] archive, string reason)
    {
        var cluster = new RecordingCluster();
        var app = new TestApplication();
        app.Add(RecordingCluster.BuiltIn[0], null, "shop");
        var store = new MemoryArtifactStore();
        await app.WriteBackupAsync(store, BackupId, new Random(1));
        var key = ArtifactLayout.BackupPrefix("source", "adhoc", BackupId) + ArtifactLayout.ResourcesArchive;
        store.Artifacts[key] = archive; // the namespace first (spooled), then the hostile record
        var history = new MemoryRunHistory();

        var refused = await Assert.ThrowsAsync<RestoreRefusedException>(() => new BackupRestore(cluster, store, history, TimeProvider.System, new RestoreOptions { Ids = new SequentialIdSource() })
            .RunAsync(new RestoreRequest { BackupId = BackupId, TargetCluster = "target" }));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was restored", refused.Message, StringComparison.Ordinal);
        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
        Assert.True(cluster.Creates.Count == 0, $"{scenario}: {cluster.Creates.Count} objects created");
        Assert.Empty(cluster.Objects);
        var record = Assert.Single(await history.ListRestoresAsync().ToListAsync());
        Assert.Equal(RestoreStatus.Failed, record.Status);
    }
}

using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Restore;
using Strata.Core.Runs;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Restore;

public class CrossClusterRestoreTests
{
    [Fact]
    public async Task Restore_TargetServesAnotherVersionOfTheGroup_UsesItAndSaysSo()
    {
        var cluster = new RecordingCluster();
        await cluster.CreateAsync(RecordingCluster.BuiltIn.Single(r => r.Name == "customresourcedefinitions"), null, JsonNode.Parse("""
            {"metadata":{"name":"gadgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced",
             "names":{"plural":"gadgets","kind":"Gadget"},"versions":[{"name":"v1","served":true,"storage":true}]}}
            """)!.AsObject());
        var app = new TestApplication();
        app.Add(RecordingCluster.BuiltIn[0], null, "shop");
        app.Add(new ApiResource("example.com", "v1beta1", "gadgets", "Gadget", true, ["create"]), "shop", "g1");
        var store = new MemoryArtifactStore();
        await app.WriteBackupAsync(store, "20260101-000000-0000bb", new Random(1));

        var record = await new BackupRestore(cluster, store, new MemoryRunHistory(), TimeProvider.System, new RestoreOptions { Ids = new SequentialIdSource() })
            .RunAsync(new RestoreRequest { BackupId = "20260101-000000-0000bb", TargetCluster = "target" });

        Assert.Equal(RestoreStatus.Succeeded, record.Status);
        Assert.Equal("example.com/v1", cluster.Objects[RecordingCluster.Key("gadgets.example.com", "shop", "g1")]["apiVersion"]!.GetValue<string>());
        var warning = Assert.Single(record.Problems, p => p.Reason == "VersionChanged");
        Assert.Contains("restored as example.com/v1", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_TargetServesNoVersionOfTheGroup_ReportsEachObjectAndGoesOn()
    {
        var cluster = new RecordingCluster();
        var app = new TestApplication();
        app.Add(RecordingCluster.BuiltIn[0], null, "shop");
        app.Add(RecordingCluster.BuiltIn[1], "shop", "settings");
        app.Add(new ApiResource("example.com", "v1", "gadgets", "Gadget", true, ["create"]), "shop", "g1");
        app.Add(new ApiResource("example.com", "v1", "gadgets", "Gadget", true, ["create"]), "shop", "g2");
        var store = new MemoryArtifactStore();
        await app.WriteBackupAsync(store, "20260101-000000-0000cc", new Random(1));

        var record = await new BackupRestore(cluster, store, new MemoryRunHistory(), TimeProvider.System, new RestoreOptions { Ids = new SequentialIdSource() })
            .RunAsync(new RestoreRequest { BackupId = "20260101-000000-0000cc", TargetCluster = "target" });

        Assert.Equal(RestoreStatus.PartiallyFailed, record.Status);
        Assert.Equal(["g1", "g2"], record.Items.Where(i => i.Outcome == RestoreItemOutcome.SkippedUnsupported).Select(i => i.Name));
        Assert.Contains(record.Items, i => i.Name == "settings" && i.Outcome == RestoreItemOutcome.Created);
    }
}

using System.Text.Json.Nodes;
using Strata.Core.Restore;
using Strata.Core.Runs;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Restore;

/// <summary>
/// Property: for random applications (random objects, random references between them, archive in
/// random order), no object's create starts before every object it depends on has been created.
/// The dependencies are Kubernetes' own (what the API server or a controller needs to exist
/// first), stated here independently of the restore order table.
/// </summary>
public class RestoreOrderingPropertyTests
{
    [Fact]
    public async Task Restore_TestApplications_NoObjectIsAppliedBeforeWhatItDependsOn()
    {
        for (var seed = 1; seed <= 25; seed++)
        {
            var app = TestApplication.Generate(new Random(seed));
            var store = new MemoryArtifactStore();
            var backupId = $"20260101-000000-{seed:x6}";
            await app.WriteBackupAsync(store, backupId, new Random(seed));
            var cluster = new RecordingCluster();

            var record = await new BackupRestore(cluster, store, new MemoryRunHistory(), TimeProvider.System, new RestoreOptions { Parallelism = 8, Ids = new SequentialIdSource() })
                .RunAsync(new RestoreRequest { BackupId = backupId, TargetCluster = "target" });

            Assert.True(record.Status == RestoreStatus.Succeeded, $"seed {seed}: {string.Join("; ", record.Items.Where(i => i.Outcome != RestoreItemOutcome.Created))}");
            Assert.Equal(app.Objects.Count, record.Items.Count(i => i.Outcome == RestoreItemOutcome.Created));
            foreach (var (dependent, dependency) in app.Dependencies)
            {
                var before = cluster.Creates[dependency];
                var after = cluster.Creates[dependent];
                Assert.True(before.Finished < after.Started, $"seed {seed}: {dependent} started ({after.Started}) before {dependency} finished ({before.Finished})");
            }
        }
    }

    [Fact]
    public async Task Restore_OwnerRestoredAfterItsDependent_OwnerReferenceFollowsTheNewUid()
    {
        var app = new TestApplication();
        app.Add(RecordingCluster.BuiltIn[0], null, "shop");
        var crd = app.AddCrd("example.com", "gadgets", "Gadget");
        var gadget = app.Add(crd, "shop", "g1");
        var owned = app.Add(RecordingCluster.BuiltIn[2], "shop", "g1-credentials");
        owned["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "example.com/v1", ["kind"] = "Gadget", ["name"] = "g1", ["uid"] = gadget["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true,
        });
        var store = new MemoryArtifactStore();
        await app.WriteBackupAsync(store, "20260101-000000-0000aa", new Random(1));
        var cluster = new RecordingCluster();

        var record = await new BackupRestore(cluster, store, new MemoryRunHistory(), TimeProvider.System, new RestoreOptions { Ids = new SequentialIdSource() })
            .RunAsync(new RestoreRequest { BackupId = "20260101-000000-0000aa", TargetCluster = "target" });

        Assert.Equal(RestoreStatus.Succeeded, record.Status);
        var newGadgetUid = cluster.Objects[RecordingCluster.Key("gadgets.example.com", "shop", "g1")]["metadata"]!["uid"]!.GetValue<string>();
        var secret = cluster.Objects[RecordingCluster.Key("secrets", "shop", "g1-credentials")];
        Assert.Equal(newGadgetUid, secret["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
        Assert.NotEqual(gadget["metadata"]!["uid"]!.GetValue<string>(), newGadgetUid);
    }
}

using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.TestKit.Volumes;

namespace Strata.Sandbox.Tests.Http;

/// <summary>Custom resources are pruned and validated by their CRD's schema, as kube-apiserver does (the published snapshot CRDs).</summary>
public class CustomResourceSchemaTests
{
    private const string Snapshots = "/apis/snapshot.storage.k8s.io/v1/namespaces/shop/volumesnapshots";
    private const string Classes = "/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses";
    private const string Contents = "/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents";

    private static async Task<SandboxSession> StartAsync()
    {
        var s = await SandboxSession.StartAsync(new SandboxOptions(), "shop");
        VolumeSnapshotCrds.Install(s.Server);
        return s;
    }

    [Fact]
    public async Task Create_MissingARequiredField_Is422InvalidWithAFieldValueRequiredCause()
    {
        await using var s = await StartAsync();
        var snapshot = StorageObjects.VolumeSnapshot("shop", "nightly", "data");
        snapshot["spec"]!.AsObject().Remove("source");

        var (code, status) = await s.PostAsync(Snapshots, snapshot);

        Assert.Equal((422, "Invalid"), (code, status.Str("reason")));
        Assert.Equal("VolumeSnapshot.snapshot.storage.k8s.io \"nightly\" is invalid: spec.source: Required value", status.Str("message"));
        Assert.Equal(("snapshot.storage.k8s.io", "VolumeSnapshot", "nightly"), (status.Str("details.group"), status.Str("details.kind"), status.Str("details.name")));
        Assert.Equal(("FieldValueRequired", "Required value", "spec.source"),
            (status.Str("details.causes.0.reason"), status.Str("details.causes.0.message"), status.Str("details.causes.0.field")));
    }

    [Fact]
    public async Task Create_WrongTypeAndValueOutsideTheEnum_ListsEveryCauseAsKubeApiserverWordsThem()
    {
        await using var s = await StartAsync();
        var snapshotClass = StorageObjects.VolumeSnapshotClass("fast", "disk.csi.azure.com");
        snapshotClass["driver"] = 42;
        snapshotClass["deletionPolicy"] = "Destroy";

        var (code, status) = await s.PostAsync(Classes, snapshotClass);
        var causes = status["details"]!["causes"]!.AsArray().Select(c => (c.Str("reason"), c.Str("field"), c.Str("message"))).ToList();

        Assert.Equal(422, code);
        Assert.Contains(("FieldValueNotSupported", "deletionPolicy", "Unsupported value: \"Destroy\": supported values: \"Delete\", \"Retain\""), causes);
        Assert.Contains(("FieldValueTypeInvalid", "driver", "Invalid value: \"integer\": driver in body must be of type string: \"integer\""), causes);
        Assert.StartsWith("VolumeSnapshotClass.snapshot.storage.k8s.io \"fast\" is invalid: [", status.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownFieldsAndNulls_ArePrunedBeforeTheyAreStored_MetadataIsKept()
    {
        await using var s = await StartAsync();
        var snapshot = StorageObjects.VolumeSnapshot("shop", "nightly", "data");
        snapshot["spec"]!["retention"] = "7d";
        snapshot["spec"]!["source"]!["persistentVolumeClaimNamespace"] = "other";
        snapshot["spec"]!["volumeSnapshotClassName"] = null;
        snapshot["extra"] = new JsonObject { ["a"] = 1 };
        snapshot["metadata"]!["labels"] = new JsonObject { ["app"] = "shop" };

        var (code, created) = await s.PostAsync(Snapshots, snapshot);
        var (_, read) = await s.GetAsync($"{Snapshots}/nightly");

        Assert.Equal(201, code);
        Assert.Equal("""{"source":{"persistentVolumeClaimName":"data"}}""", read["spec"]!.ToJsonString());
        Assert.Null(read["extra"]);
        Assert.Equal("shop", read.Str("metadata.labels.app"));
        var managed = created["metadata"]!["managedFields"]![0]!["fieldsV1"]!.ToJsonString();
        Assert.DoesNotContain("retention", managed, StringComparison.Ordinal); // pruned before the server saw it
    }

    [Fact]
    public async Task UpdateStatus_OfTheWrongType_IsRefused_AndAWellTypedStatusIsStored()
    {
        await using var s = await StartAsync();
        await s.PostAsync(Contents, StorageObjects.PreProvisionedContent("imported", "disk.csi.azure.com", "snap-1", "shop", "restored"));
        var (_, content) = await s.GetAsync($"{Contents}/imported");
        content["status"] = new JsonObject { ["creationTime"] = "2024-05-01T00:00:00Z", ["readyToUse"] = true };

        var (badCode, bad) = await s.PutAsync($"{Contents}/imported/status", content);
        content["status"] = new JsonObject { ["creationTime"] = 1714521600000000000L, ["readyToUse"] = true, ["restoreSize"] = 1073741824L };
        var (goodCode, good) = await s.PutAsync($"{Contents}/imported/status", content);

        Assert.Equal((422, "status.creationTime"), (badCode, bad.Str("details.causes.0.field")));
        Assert.Equal("Invalid value: \"string\": status.creationTime in body must be of type integer: \"string\"", bad.Str("details.causes.0.message"));
        Assert.Equal((200, "1714521600000000000", "1073741824"), (goodCode, good.Str("status.creationTime"), good.Str("status.restoreSize")));
    }

    [Fact]
    public async Task Update_ADateTimeFieldThatIsNotRfc3339_IsATypeError()
    {
        await using var s = await StartAsync();
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var (_, snapshot) = await s.GetAsync($"{Snapshots}/nightly");
        snapshot["status"] = new JsonObject { ["creationTime"] = "yesterday", ["restoreSize"] = "1Gi" };

        var (code, status) = await s.PutAsync($"{Snapshots}/nightly/status", snapshot);

        Assert.Equal((422, "FieldValueTypeInvalid", "status.creationTime"), (code, status.Str("details.causes.0.reason"), status.Str("details.causes.0.field")));
        Assert.Equal("Invalid value: \"yesterday\": status.creationTime in body must be of type date-time: \"yesterday\"", status.Str("details.causes.0.message"));
    }

    [Fact]
    public async Task Update_ChangingAVolumeSnapshotsSource_Is422Invalid_WithTheCelRulesMessageAtItsPath()
    {
        await using var s = await StartAsync();
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));
        var (_, snapshot) = await s.GetAsync($"{Snapshots}/nightly");
        snapshot["spec"]!["source"]!["persistentVolumeClaimName"] = "logs";

        var (code, status) = await s.PutAsync($"{Snapshots}/nightly", snapshot);

        Assert.Equal((422, "Invalid"), (code, status.Str("reason")));
        Assert.Equal("VolumeSnapshot.snapshot.storage.k8s.io \"nightly\" is invalid: spec.source.persistentVolumeClaimName: Invalid value: \"string\": persistentVolumeClaimName is immutable",
            status.Str("message"));
        Assert.Equal(("FieldValueInvalid", "spec.source.persistentVolumeClaimName"), (status.Str("details.causes.0.reason"), status.Str("details.causes.0.field")));
        Assert.Equal("data", (await s.GetAsync($"{Snapshots}/nightly")).Body.Str("spec.source.persistentVolumeClaimName"));
    }

    [Fact]
    public async Task Update_SwitchingAVolumeSnapshotsSourceToAContent_BreaksTheRequiredOnceSetRule()
    {
        await using var s = await StartAsync();
        await s.PostAsync(Snapshots, StorageObjects.VolumeSnapshot("shop", "nightly", "data"));

        var (code, status) = await s.MergePatchAsync($"{Snapshots}/nightly",
            new JsonObject { ["spec"] = new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = null, ["volumeSnapshotContentName"] = "imported" } } });

        Assert.Equal(422, code);
        Assert.Equal("VolumeSnapshot.snapshot.storage.k8s.io \"nightly\" is invalid: spec.source: Invalid value: \"object\": persistentVolumeClaimName is required once set",
            status.Str("message"));
    }

    [Fact]
    public async Task Create_AVolumeSnapshotWithBothSources_BreaksTheExactlyOneRule()
    {
        await using var s = await StartAsync();
        var snapshot = StorageObjects.VolumeSnapshot("shop", "nightly", "data");
        snapshot["spec"]!["source"]!["volumeSnapshotContentName"] = "imported";

        var (code, status) = await s.PostAsync(Snapshots, snapshot);

        Assert.Equal((422, "spec.source"), (code, status.Str("details.causes.0.field")));
        Assert.Equal("Invalid value: \"object\": exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set", status.Str("details.causes.0.message"));
    }

    [Fact]
    public async Task Create_AContentWhoseVolumeSnapshotRefHasNoNamespace_Is422Invalid()
    {
        await using var s = await StartAsync();
        var content = StorageObjects.PreProvisionedContent("imported", "disk.csi.azure.com", "snap-1", "shop", "restored");
        content["spec"]!["volumeSnapshotRef"]!.AsObject().Remove("namespace");

        var (code, status) = await s.PostAsync(Contents, content);

        Assert.Equal((422, "Invalid"), (code, status.Str("reason")));
        Assert.Equal("VolumeSnapshotContent.snapshot.storage.k8s.io \"imported\" is invalid: spec.volumeSnapshotRef: Invalid value: \"object\": "
            + "both spec.volumeSnapshotRef.name and spec.volumeSnapshotRef.namespace must be set", status.Str("message"));
    }

    [Fact]
    public async Task CreateAndUpdate_ValidSnapshotObjects_AreAccepted_AndAnUnchangedSourceIsNotRechecked()
    {
        await using var s = await StartAsync();
        var (contentCode, _) = await s.PostAsync(Contents, StorageObjects.PreProvisionedContent("imported", "disk.csi.azure.com", "snap-1", "shop", "restored"));
        var (snapshotCode, _) = await s.PostAsync(Snapshots, StorageObjects.PreProvisionedSnapshot("shop", "restored", "imported"));
        var (patchCode, patched) = await s.MergePatchAsync($"{Contents}/imported",
            new JsonObject { ["spec"] = new JsonObject { ["deletionPolicy"] = "Delete", ["volumeSnapshotRef"] = new JsonObject { ["uid"] = "0e7c1f7a" } } });

        Assert.Equal((201, 201), (contentCode, snapshotCode));
        Assert.Equal((200, "Delete", "0e7c1f7a"), (patchCode, patched.Str("spec.deletionPolicy"), patched.Str("spec.volumeSnapshotRef.uid")));
    }

    [Fact]
    public void Rules_OfThePublishedSnapshotCrds_AreAllInTheSupportedSubset_OthersAreListedNotEnforced()
    {
        foreach (var crd in VolumeSnapshotCrds.Files.SelectMany(f => TestKit.CloudNativePg.YamlJson.Documents(File.ReadAllText(Path.Combine(VolumeSnapshotCrds.Folder, f)))))
        {
            foreach (var (version, schema) in StructuralSchema.OfVersions(crd))
            {
                Assert.True(schema.UnsupportedRules().Count == 0, $"{crd["metadata"]!["name"]} {version}: {string.Join("; ", schema.UnsupportedRules())}");
            }
        }

        var other = StructuralSchema.From(JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[
              {"rule":"self.items.all(i, i > 0)","message":"positive"},
              {"rule":"has(self.a) || has(self.b)","message":"a or b"}]}}}
            """)!.AsObject());
        var unsupported = Assert.Single(other.UnsupportedRules());
        Assert.Equal(("spec", "self.items.all(i, i > 0)"), (unsupported.Path, unsupported.Rule));
        var errors = other.ValidateRules(new JsonObject { ["spec"] = new JsonObject { ["items"] = new JsonArray(-1) } }, null);
        Assert.Equal(["spec: Invalid value: \"object\": a or b"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task Create_OfACrdThatPreservesUnknownFields_KeepsThemAll()
    {
        await using var s = await StartAsync();
        s.Server.Create(SampleApplication.WidgetCrd());
        var widget = SampleApplication.Widget("shop", "w1", 3);
        widget["spec"]!["anything"] = new JsonObject { ["nested"] = true };

        var (code, created) = await s.PostAsync($"/apis/{SampleApplication.WidgetGroup}/v1/namespaces/shop/widgets", widget);

        Assert.Equal((201, "3", "true"), (code, created.Str("spec.size"), created.Str("spec.anything.nested")));
    }

    [Fact]
    public async Task Update_OfACrdsSchema_AppliesToTheNextWrites()
    {
        await using var s = await StartAsync();
        s.Server.Create(SampleApplication.WidgetCrd());
        var crdPath = $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{SampleApplication.WidgetGroup}";
        var (_, crd) = await s.GetAsync(crdPath);
        crd["spec"]!["versions"]![0]!["schema"] = new JsonObject
        {
            ["openAPIV3Schema"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["spec"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["size"] = new JsonObject { ["type"] = "integer" } } },
                },
            },
        };
        var widgets = $"/apis/{SampleApplication.WidgetGroup}/v1/namespaces/shop/widgets";

        var (updated, _) = await s.PutAsync(crdPath, crd);
        var widget = SampleApplication.Widget("shop", "w1", 3);
        widget["spec"]!["color"] = "red";
        var (_, created) = await s.PostAsync(widgets, widget);
        var (refused, _) = await s.PostAsync(widgets, SampleApplication.Obj($"{SampleApplication.WidgetGroup}/v1", "Widget", "shop", "w2",
            extra: o => o["spec"] = new JsonObject { ["size"] = "big" }));

        Assert.Equal(200, updated);
        Assert.Equal("""{"size":3}""", created["spec"]!.ToJsonString());
        Assert.Equal(422, refused);
    }
}

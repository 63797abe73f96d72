using System.Text.Json.Nodes;
using Strata.Core.Restore;

namespace Strata.Core.Tests.Restore;

public class RestoreSanitizerTests
{
    private static JsonObject Sanitize(string resource, string json, Func<string, bool>? restored = null, Func<string, bool>? volumeRestored = null)
    {
        var doc = JsonNode.Parse(json)!.AsObject();
        RestoreSanitizer.Sanitize(resource, doc, restored ?? (_ => false), volumeRestored ?? (_ => false));
        return doc;
    }

    [Fact]
    public void Sanitize_DropsServerSetFieldsAndStatus()
    {
        var doc = Sanitize("configmaps", """
            {"metadata":{"name":"c","namespace":"n","uid":"u","resourceVersion":"7","creationTimestamp":"2026-01-01T00:00:00Z","generation":2,
             "managedFields":[],"selfLink":"/x","labels":{"a":"b"}},"data":{"k":"v"},"status":{"x":1}}
            """);

        Assert.Equal("""{"metadata":{"name":"c","namespace":"n","labels":{"a":"b"}},"data":{"k":"v"}}""", doc.ToJsonString());
    }

    [Fact]
    public void Sanitize_KeepsOnlyOwnersThatAreRestored()
    {
        var doc = Sanitize("secrets", """{"metadata":{"name":"s","ownerReferences":[{"uid":"kept"},{"uid":"gone"}]}}""", uid => uid == "kept");
        Assert.Equal("kept", doc["metadata"]!["ownerReferences"]!.AsArray().Single()!["uid"]!.GetValue<string>());

        doc = Sanitize("secrets", """{"metadata":{"name":"s","ownerReferences":[{"uid":"gone"}]}}""");
        Assert.Null(doc["metadata"]!["ownerReferences"]);
    }

    [Theory]
    [InlineData("10.0.0.12", false)]
    [InlineData("None", true)]
    public void Sanitize_ServiceClusterIp_DroppedUnlessHeadless(string clusterIp, bool kept)
    {
        var json = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "s" },
            ["spec"] = new JsonObject { ["clusterIP"] = clusterIp, ["clusterIPs"] = new JsonArray(clusterIp), ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
        };
        var doc = Sanitize("services", json.ToJsonString());
        Assert.Equal(kept, doc["spec"]!["clusterIP"] is not null);
        Assert.Equal(kept, doc["spec"]!["clusterIPs"] is not null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sanitize_ClaimVolumeName_KeptOnlyWhenItsVolumeIsRestored(bool volumeRestored)
    {
        var doc = Sanitize("persistentvolumeclaims", """
            {"metadata":{"name":"c","annotations":{"pv.kubernetes.io/bind-completed":"yes","volume.kubernetes.io/selected-node":"node-1"}},"spec":{"volumeName":"pv-1"}}
            """, volumeRestored: pv => volumeRestored && pv == "pv-1");

        Assert.Equal(volumeRestored, doc["spec"]!["volumeName"] is not null);
        Assert.Equal(volumeRestored, doc["metadata"]!["annotations"]!["pv.kubernetes.io/bind-completed"] is not null);
        Assert.Null(doc["metadata"]!["annotations"]!["volume.kubernetes.io/selected-node"]);
    }

    [Fact]
    public void Sanitize_VolumeClaimRef_LosesTheOldClaimsUid()
    {
        var doc = Sanitize("persistentvolumes", """{"metadata":{"name":"pv"},"spec":{"claimRef":{"namespace":"n","name":"c","uid":"old","resourceVersion":"3"}}}""");
        Assert.Equal("""{"namespace":"n","name":"c"}""", doc["spec"]!["claimRef"]!.ToJsonString());
    }

    [Fact]
    public void Sanitize_JobWithGeneratedSelector_DropsSelectorAndUidLabels_KeepsManualOnes()
    {
        var generated = Sanitize("jobs.batch", """
            {"metadata":{"name":"migrate"},"spec":{"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"old"}},
             "template":{"metadata":{"labels":{"app":"m","controller-uid":"old","batch.kubernetes.io/controller-uid":"old","job-name":"migrate"}}}}}
            """);
        var manual = Sanitize("jobs.batch", """
            {"metadata":{"name":"adopt"},"spec":{"manualSelector":true,"selector":{"matchLabels":{"app":"a"}},
             "template":{"metadata":{"labels":{"app":"a","controller-uid":"old"}}}}}
            """);

        Assert.Equal("""{"app":"m","job-name":"migrate"}""", generated["spec"]!["template"]!["metadata"]!["labels"]!.ToJsonString());
        Assert.Null(generated["spec"]!["selector"]);
        Assert.Equal("""{"matchLabels":{"app":"a"}}""", manual["spec"]!["selector"]!.ToJsonString());
        Assert.Equal("old", manual["spec"]!["template"]!["metadata"]!["labels"]!["controller-uid"]!.GetValue<string>());
    }
}

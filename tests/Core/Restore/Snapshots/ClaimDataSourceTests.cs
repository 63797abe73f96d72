using System.Text.Json.Nodes;
using Strata.Core.Restore.Snapshots;

namespace Strata.Core.Tests.Restore.Snapshots;

public sealed class ClaimDataSourceTests
{
    private static JsonObject Claim(string? storage = "10Gi")
    {
        var claim = JsonNode.Parse("""
        {"apiVersion":"v1","kind":"PersistentVolumeClaim",
         "metadata":{"name":"data","namespace":"shop","annotations":{"pv.kubernetes.io/bind-completed":"yes","pv.kubernetes.io/bound-by-controller":"yes","team":"db"}},
         "spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"fast","volumeName":"pvc-1234",
                 "dataSource":{"kind":"PersistentVolumeClaim","name":"seed"},
                 "resources":{"requests":{}}}}
        """)!.AsObject();
        if (storage is not null)
        {
            claim["spec"]!["resources"]!["requests"]!["storage"] = storage;
        }

        return claim;
    }

    [Fact]
    public void Apply_LargeEnoughRequest_DataSourceAndRefNameTheSnapshot_NoVolumeNameNorBinding()
    {
        var claim = Claim();

        var raised = ClaimDataSource.Apply(claim, "strata-x-data", 5L << 30, "5Gi");

        Assert.Null(raised);
        var reference = """{"apiGroup":"snapshot.storage.k8s.io","kind":"VolumeSnapshot","name":"strata-x-data"}""";
        Assert.Equal(reference, claim["spec"]!["dataSource"]!.ToJsonString());
        Assert.Equal(reference, claim["spec"]!["dataSourceRef"]!.ToJsonString());
        Assert.Null(claim["spec"]!["volumeName"]);
        Assert.Equal("""{"team":"db"}""", claim["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal("10Gi", claim["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
        Assert.Equal("fast", claim["spec"]!["storageClassName"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_RequestSmallerThanRestoreSize_RaisedToIt()
    {
        var claim = Claim("1Gi");

        var raised = ClaimDataSource.Apply(claim, "s", 2L << 30, "2Gi");

        Assert.Equal(("1Gi", "2Gi"), raised);
        Assert.Equal("2Gi", claim["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_NoRequestAndOnlyBytesKnown_RequestsTheBytes()
    {
        var claim = Claim(null);

        var raised = ClaimDataSource.Apply(claim, "s", 1_500_000_000, null);

        Assert.Equal((null, "1500000000"), raised);
        Assert.Equal("1500000000", claim["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_RestoreSizeUnknown_LeavesTheRequest()
    {
        var claim = Claim("1Gi");

        Assert.Null(ClaimDataSource.Apply(claim, "s", null, null));
        Assert.Equal("1Gi", claim["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
    }
}

using System.Security.Cryptography;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.TestKit;

namespace Strata.Core.Tests.Artifacts;

public class ResourceArchiveWriterTests
{
    [Fact]
    public async Task CompleteAsync_WrittenDocuments_ReadBackWithMatchingHashAndSize()
    {
        using var output = new MemoryStream();
        var longName = new string('a', 200);
        ArtifactEntry entry;
        await using (var writer = new ResourceArchiveWriter(output, DateTimeOffset.UnixEpoch))
        {
            await writer.WriteEntryAsync("resources/core/v1/configmaps/namespaces/shop/a.json", """{"apiVersion":"v1","kind":"ConfigMap"}"""u8.ToArray());
            await writer.WriteEntryAsync($"resources/core/v1/secrets/namespaces/shop/{longName}.json", """{"kind":"Secret"}"""u8.ToArray());
            entry = await writer.CompleteAsync("resources.tar.gz");
        }

        var bytes = output.ToArray();
        Assert.Equal(bytes.Length, entry.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.Sha256);
        var documents = ArchiveReader.Read(new MemoryStream(bytes));
        Assert.Equal(2, documents.Count);
        Assert.Equal("ConfigMap", documents["resources/core/v1/configmaps/namespaces/shop/a.json"]["kind"]!.GetValue<string>());
        Assert.Contains($"resources/core/v1/secrets/namespaces/shop/{longName}.json", documents.Keys);
    }

    [Fact]
    public void ResourcePath_NamespacedAndClusterScoped_FollowTheLayout()
    {
        var deployments = new ApiResource("apps", "v1", "deployments", "Deployment", true, ["list"]);
        var namespaces = new ApiResource("", "v1", "namespaces", "Namespace", false, ["list"]);

        Assert.Equal("resources/apps/v1/deployments/namespaces/shop/web.json", ArtifactLayout.ResourcePath(deployments, "shop", "web"));
        Assert.Equal("resources/core/v1/namespaces/shop.json", ArtifactLayout.ResourcePath(namespaces, null, "shop"));
    }

    [Theory]
    [InlineData("Prod West", "prod-west")]
    [InlineData("arn:aws:eks:eu-west-1:1:cluster/prod", "arn-aws-eks-eu-west-1-1-cluster-prod")]
    [InlineData("..", "unnamed")]
    public void Segment_UnsafeNames_BecomeOneSafeSegment(string name, string expected) =>
        Assert.Equal(expected, ArtifactLayout.Segment(name));
}

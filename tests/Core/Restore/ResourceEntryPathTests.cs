using Strata.Core.Artifacts;

namespace Strata.Core.Tests.Restore;

public class ResourceEntryPathTests
{
    [Fact]
    public void TryParse_LayoutPaths_RoundTripWithArtifactLayout()
    {
        var resource = new Strata.Core.Kubernetes.ApiResource("apps", "v1", "deployments", "Deployment", true, []);
        Assert.True(ResourceEntryPath.TryParse(ArtifactLayout.ResourcePath(resource, "shop", "web"), out var path, out _));
        Assert.Equal(new ResourceEntryPath("apps", "v1", "deployments", "shop", "web"), path);

        Assert.True(ResourceEntryPath.TryParse("resources/core/v1/namespaces/shop.json", out path, out _));
        Assert.Equal(new ResourceEntryPath("", "v1", "namespaces", null, "shop"), path);
        Assert.Equal("namespaces", path!.QualifiedResource);
    }

    [Theory]
    [InlineData("resources/core/v1/../../../etc/passwd.json", "climbs out")]
    [InlineData("/resources/core/v1/secrets/x.json", "absolute")]
    [InlineData("resources\\core\\v1\\x.json", "backslash")]
    [InlineData("resources//v1/secrets/x.json", "empty")]
    [InlineData("other/core/v1/secrets/x.json", "not an object path")]
    [InlineData("resources/core/v1/secrets/ns/shop/x.json", "'namespaces'")]
    [InlineData("resources/core/v1/secrets/x.yaml", "not an object path")]
    public void TryParse_UnsafeOrForeignPaths_AreRefusedWithTheReason(string text, string reason)
    {
        Assert.False(ResourceEntryPath.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}

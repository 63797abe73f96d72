using Strata.Adapters.Kubernetes;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>The clusters of strata.yaml, reached with the tokens it references, as those tokens rotate.</summary>
public sealed class ConfiguredClustersTests : IAsyncLifetime
{
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync() => _world = await ControlPlaneWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<Core.Ports.IClusterWriter> ConnectProdAsync() =>
        _world.Context.Clusters.ConnectAsync(_world.Context.Configuration.FindCluster("prod")!);

    [Fact]
    public async Task RotatedToken_IsReadAgainWhenTheServerRefusesTheOldOne()
    {
        var client = await ConnectProdAsync();
        Assert.NotNull(await client.GetServerVersionAsync());

        // The secret rotates: the server stops accepting the old token, the setting holds the new one.
        _world.Prod.Access.RevokeToken(_world.Prod.AdminToken);
        _world.Variables["PROD_TOKEN"] = _world.Prod.Access.IssueToken("strata-rotated", "system:masters");
        _world.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Same(client, await ConnectProdAsync()); // the same client, kept for reuse
        Assert.NotNull(await client.GetServerVersionAsync());
    }

    [Fact]
    public async Task RefusedToken_NotRotated_FailsAsUnauthorized_WithoutLooping()
    {
        var client = await ConnectProdAsync();
        _world.Prod.Access.RevokeToken(_world.Prod.AdminToken);
        _world.Clock.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetServerVersionAsync());

        Assert.Equal(401, error.StatusCode);
        Assert.DoesNotContain(_world.Prod.AdminToken, error.Message);
    }

    [Fact]
    public async Task RefusedToken_SecretGoneMeanwhile_FailsAsUnauthorized()
    {
        var client = await ConnectProdAsync();
        _world.Prod.Access.RevokeToken(_world.Prod.AdminToken);
        _world.Variables.Remove("PROD_TOKEN");
        _world.Clock.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetServerVersionAsync());

        Assert.Equal(401, error.StatusCode);
    }
}

using Strata.Core.Restore;

namespace Strata.Core.Tests.Restore;

public class RestoreOrderTests
{
    private static int Tier(RestoreOrder order, string resource, bool custom = false) => order.TierOf(resource, custom);

    [Fact]
    public void Default_EveryRowHasAReasonAndNoResourceIsListedTwice()
    {
        Assert.All(RestoreOrder.Default.Tiers, t => Assert.False(string.IsNullOrWhiteSpace(t.Reason)));
        var listed = RestoreOrder.Default.Tiers.SelectMany(t => t.Resources).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public void Default_CrdsFirstThenNamespacesAndWebhooksAfterCustomResources()
    {
        var order = RestoreOrder.Default;
        Assert.Equal(0, Tier(order, RestoreOrder.CustomResourceDefinitions));
        Assert.True(order.Tiers[0].WaitForEstablished);
        Assert.Equal(1, Tier(order, "namespaces"));
        Assert.True(Tier(order, "serviceaccounts") < Tier(order, "deployments.apps"));
        Assert.True(Tier(order, "persistentvolumes") < Tier(order, "persistentvolumeclaims"));
        Assert.True(Tier(order, "leases.coordination.k8s.io") < Tier(order, "widgets.example.com", custom: true));
        Assert.True(Tier(order, "widgets.example.com", custom: true) < Tier(order, "validatingwebhookconfigurations.admissionregistration.k8s.io"));
    }

    [Fact]
    public void WithPriorities_ExtrasGoInTheGivenOrderAheadOfTheirStage()
    {
        var order = RestoreOrder.Default.WithPriorities(
            ["issuers.cert-manager.io", "certificates.cert-manager.io", "leases.coordination.k8s.io"],
            name => name.EndsWith("cert-manager.io", StringComparison.Ordinal), out var ignored);

        Assert.Empty(ignored);
        var issuers = Tier(order, "issuers.cert-manager.io", custom: true);
        var certificates = Tier(order, "certificates.cert-manager.io", custom: true);
        Assert.True(issuers < certificates);
        Assert.True(certificates < Tier(order, "widgets.example.com", custom: true));
        Assert.True(Tier(order, "leases.coordination.k8s.io") < Tier(order, "csidrivers.storage.k8s.io"));
        Assert.True(Tier(order, "horizontalpodautoscalers.autoscaling") < Tier(order, "leases.coordination.k8s.io"));
    }

    [Fact]
    public void WithPriorities_CannotMoveADefaultRow()
    {
        var order = RestoreOrder.Default.WithPriorities(["secrets", "namespaces"], _ => false, out var ignored);

        Assert.Equal(2, ignored.Count);
        Assert.Contains("secrets is already ordered by default", ignored[0], StringComparison.Ordinal);
        Assert.Equal(RestoreOrder.Default.Tiers.Count, order.Tiers.Count);
        Assert.True(Tier(order, "namespaces") < Tier(order, "secrets"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("apps", true)]
    [InlineData("snapshot.storage.k8s.io", true)]
    [InlineData("cert-manager.io", false)]
    [InlineData("demo.strata.dev", false)]
    public void IsBuiltInGroup_KubernetesGroupsOnly(string group, bool expected) =>
        Assert.Equal(expected, RestoreOrder.IsBuiltInGroup(group));
}

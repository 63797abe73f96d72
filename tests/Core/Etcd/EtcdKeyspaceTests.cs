using Strata.Core.Etcd;

namespace Strata.Core.Tests.Etcd;

/// <summary>kube-apiserver's keys read back into resources, and a rebuilt etcd's keys compared with a backup's objects.</summary>
public sealed class EtcdKeyspaceTests
{
    [Theory]
    [InlineData("/registry/pods/shop/web-0", "/registry/pods/")]
    [InlineData("/registry/namespaces/shop", "/registry/namespaces/")]
    [InlineData("/registry/deployments/shop/web", "/registry/deployments/")]
    [InlineData("/registry/services/specs/default/kubernetes", "/registry/services/specs/")]
    [InlineData("/registry/services/endpoints/default/kubernetes", "/registry/services/endpoints/")]
    [InlineData("/registry/minions/node-1", "/registry/minions/")]
    [InlineData("/registry/controllers/shop/legacy", "/registry/controllers/")]
    [InlineData("/registry/ingress/shop/web", "/registry/ingress/")]
    [InlineData("/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com", "/registry/apiextensions.k8s.io/customresourcedefinitions/")]
    [InlineData("/registry/apiregistration.k8s.io/apiservices/v1.apps", "/registry/apiregistration.k8s.io/apiservices/")]
    [InlineData("/registry/snapshot.storage.k8s.io/volumesnapshots/shop/data-1", "/registry/snapshot.storage.k8s.io/volumesnapshots/")]
    [InlineData("/registry/example.com/widgets/shop/w", "/registry/example.com/widgets/")]
    public void PrefixOf_ObjectKey_IsItsResourcesPrefix(string key, string prefix) => Assert.Equal(prefix, EtcdKeyspace.PrefixOf(key));

    [Theory]
    [InlineData("compact_rev_key")]
    [InlineData("/registry/ranges/serviceips")]
    [InlineData("/registry/ranges/servicenodeports")]
    [InlineData("/registry/masterleases/10.0.0.11")]
    [InlineData("/registry/peerserverleases/apiserver-1")]
    [InlineData("/registry/health")]
    [InlineData("/registry/pods")]
    [InlineData("/registry/pods/")]
    [InlineData("/registry/services/specs/")]
    [InlineData("/registry/example.com/widgets")]
    [InlineData("/other/pods/shop/web")]
    public void PrefixOf_KeyThatStoresNoObject_IsNull(string key) => Assert.Null(EtcdKeyspace.PrefixOf(key));

    [Fact]
    public void Exceptions_EveryRowHasAReason_AndNamesItsResourceAsTheManifestCountsIt()
    {
        Assert.All(EtcdKeyspace.Exceptions, row => Assert.False(string.IsNullOrWhiteSpace(row.Reason)));
        Assert.Equal(
            [("services/specs", "services"), ("services/endpoints", "endpoints"), ("minions", "nodes"), ("controllers", "replicationcontrollers"), ("ingress", "ingresses.networking.k8s.io")],
            EtcdKeyspace.Exceptions.Where(r => r.Resource is not null).Take(5).Select(r => (r.Prefix, r.Resource!)));
    }

    [Fact]
    public void Compare_KeysMatchingTheObjects_HasNoProblem_AndMatchesAliasesAndGroups()
    {
        var keys = EtcdKeyspace.Count(
        [
            "/registry/pods/shop/a", "/registry/pods/shop/b", "/registry/pods/shop/c",
            "/registry/services/specs/shop/web", "/registry/services/specs/default/kubernetes",
            "/registry/deployments/shop/web",
            "/registry/ingress/shop/web",
            "/registry/snapshot.storage.k8s.io/volumesnapshots/shop/data",
            "/registry/minions/node-1",
            "/registry/ranges/serviceips", "compact_rev_key",
        ]);

        var compared = EtcdKeyspace.Compare(keys, new Dictionary<string, long>
        {
            ["pods"] = 3,
            ["services"] = 2,
            ["deployments.apps"] = 1,
            ["ingresses.networking.k8s.io"] = 1,
            ["volumesnapshots.snapshot.storage.k8s.io"] = 1,
            ["configmaps"] = 0,
        });

        Assert.All(compared, c => Assert.Null(c.Problem));
        Assert.Equal(
            [
                ("deployments.apps", "/registry/deployments/", 1L, (long?)1L),
                ("ingresses.networking.k8s.io", "/registry/ingress/", 1, 1),
                ("pods", "/registry/pods/", 3, 3),
                ("services", "/registry/services/specs/", 2, 2),
                ("volumesnapshots.snapshot.storage.k8s.io", "/registry/snapshot.storage.k8s.io/volumesnapshots/", 1, 1),
                ("nodes", "/registry/minions/", 1, null),
            ],
            compared.Select(c => (c.Resource, c.Prefix, c.Keys, c.Objects)));
    }

    [Fact]
    public void Compare_FewerKeysWithinTheTolerance_Passes_BeyondIt_NamesBothNumbers()
    {
        var keys = new Dictionary<string, long> { ["/registry/pods/"] = 98, ["/registry/secrets/"] = 7 };

        var compared = EtcdKeyspace.Compare(keys, new Dictionary<string, long> { ["pods"] = 100, ["secrets"] = 10 });

        var secrets = compared[0];
        Assert.Equal(("secrets", 7L, (long?)10L), (secrets.Resource, secrets.Keys, secrets.Objects));
        Assert.Equal("secrets: 7 keys under /registry/secrets/ against 10 objects in the backup: 3 fewer, more than the 2 that changes between the capture and the snapshot explain", secrets.Problem);
        Assert.Null(compared[1].Problem);
        Assert.Equal(2, EtcdKeyspace.Tolerance(100));
        Assert.Equal(20, EtcdKeyspace.Tolerance(1000));
    }

    [Fact]
    public void Compare_NoKeyForAResourceTheBackupHolds_IsAProblem_EvenForOneObject()
    {
        var compared = EtcdKeyspace.Compare(new Dictionary<string, long> { ["/registry/pods/"] = 4 }, new Dictionary<string, long>
        {
            ["pods"] = 4,
            ["configmaps"] = 1,
            ["widgets.example.com"] = 5,
        });

        Assert.Equal(
            [
                "configmaps: the backup holds 1 object, but the rebuilt etcd has no key under /registry/configmaps/",
                "widgets.example.com: the backup holds 5 objects, but the rebuilt etcd has no key under /registry/widgets/ nor /registry/example.com/widgets/",
            ],
            compared.Where(c => c.Problem is not null).Select(c => c.Problem));
        Assert.Equal(["configmaps", "widgets.example.com", "pods"], compared.Select(c => c.Resource));
    }

    [Fact]
    public void Compare_ResourcesOfAggregatedGroups_AreNotedWithTheirObjects_NeverFailed()
    {
        var keys = new Dictionary<string, long> { ["/registry/pods/"] = 4, ["/registry/route.openshift.io/routes/"] = 2 };
        var objects = new Dictionary<string, long>
        {
            ["pods"] = 4,
            ["packagemanifests.packages.operators.coreos.com"] = 212,
            ["routes.route.openshift.io"] = 9,
            ["widgets.example.com"] = 5,
        };

        var compared = EtcdKeyspace.Compare(keys, objects, new HashSet<string> { "packages.operators.coreos.com", "route.openshift.io" });

        Assert.Equal(
            [
                ("widgets.example.com", 0L, (long?)5L, true, (string?)null),
                ("packagemanifests.packages.operators.coreos.com", 0, 212, false, "served by an aggregated API server: not stored in this etcd"),
                ("pods", 4, 4, false, null),
                ("routes.route.openshift.io", 2, 9, false, EtcdKeyspace.AggregatedHereNote),
            ],
            compared.Select(c => (c.Resource, c.Keys, c.Objects, c.Problem is not null, c.Note)));
        Assert.Equal("/registry/packages.operators.coreos.com/packagemanifests/", compared[1].Prefix);
    }

    [Fact]
    public void Compare_MoreKeysThanObjects_IsNoProblem()
    {
        var compared = EtcdKeyspace.Compare(new Dictionary<string, long> { ["/registry/configmaps/"] = 40 }, new Dictionary<string, long> { ["configmaps"] = 12 });

        Assert.Equal(("configmaps", 40L, (long?)12L, (string?)null), (compared[0].Resource, compared[0].Keys, compared[0].Objects, compared[0].Problem));
    }

    [Fact]
    public void ResourceAt_NamesPrefixesAsTheManifestWould()
    {
        Assert.Equal("services", EtcdKeyspace.ResourceAt("/registry/services/specs/"));
        Assert.Equal("ingresses.networking.k8s.io", EtcdKeyspace.ResourceAt("/registry/ingress/"));
        Assert.Equal("widgets.example.com", EtcdKeyspace.ResourceAt("/registry/example.com/widgets/"));
        Assert.Equal("leases", EtcdKeyspace.ResourceAt("/registry/leases/"));
    }
}

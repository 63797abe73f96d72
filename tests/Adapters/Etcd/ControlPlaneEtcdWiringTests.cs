using Strata.Adapters.Etcd;
using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.TestKit;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>The host's control plane reaches etcd through <see cref="GrpcEtcdConnector"/>, its secrets resolved as every other secret is.</summary>
public sealed class ControlPlaneEtcdWiringTests(EtcdTlsServerFixture etcd) : IClassFixture<EtcdTlsServerFixture>
{
    [Fact]
    public async Task CreateAsync_AnyConfiguration_EtcdIsTheGrpcConnectorResolvingEnvironmentReferences()
    {
        using var dir = new TempDirectory();
        var config = dir.File("strata.yaml", "clusters:\n  - name: prod\n    context: prod\npolicies:\n  - name: nightly\n    clusters: [prod]\n    schedule: \"0 2 * * *\"\n");
        var variables = new Dictionary<string, string> { ["ETCD_CA"] = await File.ReadAllTextAsync(etcd.Certificates.CaFile) };
        var (context, resources) = await ControlPlaneFactory.CreateAsync(
            config, StoreLocation.Resolve(Path.Combine(dir.Path, "store"), null, null, _ => null, dir.Path), variables.GetValueOrDefault, TimeProvider.System);
        using var disposing = resources;

        Assert.IsType<GrpcEtcdConnector>(context.Etcd);
        await using var endpoints = await context.Etcd.ConnectAsync(etcd.Server.Access with { CertificateAuthority = new SecretReference(SecretSource.Environment, "ETCD_CA") });
        Assert.NotEqual(0UL, (await endpoints.Members[0].StatusAsync()).MemberId);
    }
}

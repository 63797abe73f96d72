using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary><see cref="GrpcEtcdConnector"/> against a real etcd serving TLS and requiring client certificates.</summary>
public sealed class GrpcEtcdTlsTests(TlsEtcd etcd) : IClassFixture<TlsEtcd>
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    [Fact]
    public async Task Status_RightCaAndClientCertificate_Answers()
    {
        await using var endpoints = await Connector.ConnectAsync(etcd.Server.Access);

        var status = await endpoints.Members[0].StatusAsync();

        Assert.Equal(status.MemberId, status.Leader);
    }

    [Fact]
    public async Task Status_WrongCa_NotTransientSaysTheCertificateIsNotTrustedByTheConfiguredCa()
    {
        var access = etcd.Server.Access with { CertificateAuthority = etcd.Certificates.OtherCaReference };
        await using var endpoints = await Connector.ConnectAsync(access);

        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => endpoints.Members[0].StatusAsync());

        Assert.False(failure.IsTransient);
        Assert.Contains(etcd.Server.Endpoint.GetLeftPart(UriPartial.Authority), failure.Message, StringComparison.Ordinal);
        Assert.Contains($"the server certificate is not trusted by the configured CA ({etcd.Certificates.OtherCaReference})", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_NoClientCertificate_NotTransientSaysToConfigureOne()
    {
        var access = etcd.Server.Access with { ClientCertificate = null, ClientKey = null };
        await using var endpoints = await Connector.ConnectAsync(access);

        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => endpoints.Members[0].StatusAsync());

        Assert.Contains("client certificate", failure.Message, StringComparison.Ordinal);
        Assert.Contains("clientCertificate and clientKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_CaFileDoesNotExist_FailsNamingTheReference()
    {
        var missing = new SecretReference(SecretSource.File, Path.Combine(etcd.Certificates.Folder, "no-such-ca.crt"));

        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => Connector.ConnectAsync(etcd.Server.Access with { CertificateAuthority = missing }));

        Assert.False(failure.IsTransient);
        Assert.Contains(missing.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", failure.Message, StringComparison.Ordinal);
    }
}

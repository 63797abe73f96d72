using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary><see cref="GrpcEtcdConnector"/> against a real etcd serving TLS and requiring client certificates.</summary>
public sealed class GrpcEtcdTlsTests(EtcdTlsServerFixture etcd) : IClassFixture<EtcdTlsServerFixture>
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

        Assert.False(failure.IsTransient, failure.Message);
        Assert.Contains("it requires a client certificate and none is configured: set clientCertificate and clientKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ClientCertificateOfAnotherCa_NotTransientSaysTheMemberDoesNotAcceptIt()
    {
        var access = etcd.Server.Access with
        {
            ClientCertificate = new SecretReference(SecretSource.File, etcd.Certificates.OtherClientCertificateFile),
            ClientKey = new SecretReference(SecretSource.File, etcd.Certificates.OtherClientKeyFile),
        };
        await using var endpoints = await Connector.ConnectAsync(access);

        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => endpoints.Members[0].StatusAsync());

        Assert.False(failure.IsTransient, failure.Message);
        Assert.Contains($"does not accept the client certificate {access.ClientCertificate}", failure.Message, StringComparison.Ordinal);
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

    [Fact]
    public async Task Status_TlsServerNameTheCertificateIsFor_Answers()
    {
        var access = etcd.Server.Access with { TlsServerName = EtcdTestCertificates.ServerName };
        await using var endpoints = await Connector.ConnectAsync(access);

        Assert.NotEqual(0UL, (await endpoints.Members[0].StatusAsync()).MemberId);
    }

    [Fact]
    public async Task Status_TlsServerNameTheCertificateIsNotFor_NotTransientSaysWhichName()
    {
        await using var endpoints = await Connector.ConnectAsync(etcd.Server.Access with { TlsServerName = "etcd.elsewhere.test" });

        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => endpoints.Members[0].StatusAsync());

        Assert.False(failure.IsTransient);
        Assert.Contains("is not for 'etcd.elsewhere.test'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_KeyIsNotPem_FailsNamingBothReferencesNotTheValue()
    {
        var notPem = Path.Combine(etcd.Certificates.Folder, "not-a-key.pem");
        await File.WriteAllTextAsync(notPem, "s3cr3t-value-that-is-no-key");
        var access = etcd.Server.Access with { ClientKey = new SecretReference(SecretSource.File, notPem) };

        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => Connector.ConnectAsync(access));

        Assert.Contains($"clientKey file:{notPem}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"clientCertificate {access.ClientCertificate}", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ClientCertificateWithoutKey_FailsSayingSo()
    {
        var failure = await Assert.ThrowsAsync<EtcdRequestException>(() => Connector.ConnectAsync(etcd.Server.Access with { ClientKey = null }));

        Assert.Equal($"etcd clientCertificate {etcd.Certificates.ClientCertificateReference} is configured without clientKey", failure.Message);
    }

    [Fact]
    public async Task PutThenKeys_OverTls_WriterAndReaderAgree()
    {
        var keys = Enumerable.Range(0, 50).Select(i => $"/registry/secrets/tls/s-{i:000}").ToList();

        var put = await EtcdWriter.PutAsync(etcd.Server.Access, new SecretResolver(Environment.GetEnvironmentVariable), keys.Select(k => new KeyValuePair<string, byte[]>(k, [0x6b])));
        await using var endpoints = await Connector.ConnectAsync(etcd.Server.Access);

        Assert.Equal(50, put);
        Assert.Equal(keys, await endpoints.Members[0].KeysAsync("/registry/secrets/tls/").ToListAsync());
    }
}

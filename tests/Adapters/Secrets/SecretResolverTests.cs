using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.TestKit;
using Strata.TestKit.Azure;

namespace Strata.Adapters.Tests.Secrets;

/// <summary>Secret references: environment, file, and Key Vault through <see cref="SecretClient"/> (a test double on its seams).</summary>
public sealed class SecretResolverTests : IDisposable
{
    private const string Value = "s3cr3t-v@lue";
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _variables = new() { ["CLUSTER_TOKEN"] = Value };
    private readonly List<Uri> _vaultsOpened = [];
    private readonly FakeVault _vault = new();

    public void Dispose() => _dir.Dispose();

    private SecretResolver Resolver(TokenCredential? credential = null) =>
        new(name => _variables.GetValueOrDefault(name), credential ?? new RecordingCredential("kv-token"), (uri, _) =>
        {
            _vaultsOpened.Add(uri);
            return _vault;
        });

    [Fact]
    public async Task Resolve_EnvironmentAndFile()
    {
        var file = _dir.File("token", Value + "\n");

        Assert.Equal(Value, await Resolver().ResolveAsync(new SecretReference(SecretSource.Environment, "CLUSTER_TOKEN")));
        Assert.Equal(Value, await Resolver().ResolveAsync(new SecretReference(SecretSource.File, file)));
    }

    [Fact]
    public async Task Resolve_KeyVault_ReadsTheSecret_WithOneClientPerVault()
    {
        _vault.Secrets["prod-token"] = Value;
        _vault.Secrets["dr-token"] = "other";
        var resolver = Resolver();

        Assert.Equal(Value, await resolver.ResolveAsync(new SecretReference(SecretSource.KeyVault, "prod-token", "strata-kv")));
        Assert.Equal("other", await resolver.ResolveAsync(new SecretReference(SecretSource.KeyVault, "dr-token", "strata-kv")));
        Assert.Equal([new Uri("https://strata-kv.vault.azure.net/")], _vaultsOpened);
    }

    [Theory]
    [InlineData("strata-kv", "https://strata-kv.vault.azure.net/")]
    [InlineData("https://strata-kv.vault.usgovcloudapi.net", "https://strata-kv.vault.usgovcloudapi.net/")]
    public void VaultUri_NameOrUrl(string vault, string expected) => Assert.Equal(new Uri(expected), SecretResolver.VaultUri(vault));

    [Theory]
    [InlineData(403, "Key Vault answered 403 (the identity may not read secrets in this vault: it needs the 'Key Vault Secrets User' role)")]
    [InlineData(404, "Key Vault answered 404 (no such secret)")]
    public async Task Resolve_KeyVaultRefuses_NamesTheReferenceAndWhy(int status, string reason)
    {
        _vault.Failure = new RequestFailedException(status, "refused", status == 404 ? "SecretNotFound" : "Forbidden", null);

        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => Resolver().ResolveAsync(new SecretReference(SecretSource.KeyVault, "prod-token", "strata-kv")));

        Assert.Equal($"secret keyVault:strata-kv/prod-token cannot be read: {reason}", error.Message);
    }

    [Theory]
    [InlineData(SecretSource.Environment, "MISSING", "the environment variable is not set")]
    [InlineData(SecretSource.File, "/nonexistent/strata/token", "the file does not exist")]
    public async Task Resolve_Missing_SaysWhichReference(SecretSource source, string name, string reason)
    {
        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => Resolver().ResolveAsync(new SecretReference(source, name)));

        Assert.EndsWith(reason, error.Message);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public async Task Resolve_KeyVaultWithoutACredential_SaysSo()
    {
        var resolver = new SecretResolver(_ => null);

        var error = await Assert.ThrowsAsync<SecretUnavailableException>(() => resolver.ResolveAsync(new SecretReference(SecretSource.KeyVault, "prod-token", "strata-kv")));

        Assert.Contains("no Entra ID credential", error.Message);
    }

    /// <summary>A <see cref="SecretClient"/> on its mocking seam (protected constructor, virtual <c>GetSecretAsync</c>).</summary>
    private sealed class FakeVault : SecretClient
    {
        public Dictionary<string, string> Secrets { get; } = [];

        public RequestFailedException? Failure { get; set; }

        public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            return Secrets.TryGetValue(name, out var value)
                ? Task.FromResult(Response.FromValue(SecretModelFactory.KeyVaultSecret(SecretModelFactory.SecretProperties(name: name), value), new NoResponse()))
                : throw new RequestFailedException(404, $"A secret with (name/id) {name} was not found in this key vault.", "SecretNotFound", null);
        }
    }

    private sealed class NoResponse : Response
    {
        public override int Status => 200;

        public override string ReasonPhrase => "OK";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, out string value)
        {
            value = "";
            return false;
        }

        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
        {
            values = [];
            return false;
        }
    }
}

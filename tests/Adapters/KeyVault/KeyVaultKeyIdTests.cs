using Strata.Adapters.KeyVault;
using Strata.Core.Configuration;

namespace Strata.Adapters.Tests.KeyVault;

public sealed class KeyVaultKeyIdTests
{
    [Fact]
    public void From_VaultName_PublicCloudUri()
    {
        var id = KeyVaultKeyId.From(new KeyVaultKeyReference("strata-kv", "strata-kek"));

        Assert.Equal("https://strata-kv.vault.azure.net/keys/strata-kek", id.ToString());
        Assert.Equal("https://strata-kv.vault.azure.net/keys/strata-kek/v1/wrapkey?api-version=7.4", id.WithVersion("v1").OperationUri("wrapkey", "7.4").ToString());
        Assert.Equal("https://strata-kv.vault.azure.net/keys/strata-kek?api-version=7.4", id.OperationUri("", "7.4").ToString());
    }

    [Fact]
    public void Parse_VersionedKid_VaultNameAndVersion()
    {
        var id = KeyVaultKeyId.Parse("https://strata-kv.vault.azure.net/keys/strata-kek/78deebed173b48e48f55abf87ed4cf71");

        Assert.Equal(new KeyVaultKeyId(new Uri("https://strata-kv.vault.azure.net/"), "strata-kek", "78deebed173b48e48f55abf87ed4cf71"), id);
        Assert.True(id.IsSameKey(KeyVaultKeyId.From(new KeyVaultKeyReference("STRATA-KV", "Strata-Kek"))));
        Assert.False(id.IsSameKey(KeyVaultKeyId.From(new KeyVaultKeyReference("other-kv", "strata-kek"))));
        Assert.False(id.IsSameKey(KeyVaultKeyId.From(new KeyVaultKeyReference("strata-kv", "other"))));
    }

    [Theory]
    [InlineData("local:aes:0123456789abcdef")]
    [InlineData("http://strata-kv.vault.azure.net/keys/k/v")]
    [InlineData("https://strata-kv.vault.azure.net/secrets/k/v")]
    [InlineData("https://strata-kv.vault.azure.net/keys/k/v/extra")]
    [InlineData("https://strata-kv.vault.azure.net/keys")]
    [InlineData("")]
    public void TryParse_NotAKid_False(string text)
    {
        Assert.False(KeyVaultKeyId.TryParse(text, out _));
        Assert.Throws<FormatException>(() => KeyVaultKeyId.Parse(text));
    }
}

using Strata.Adapters.Azure;

namespace Strata.Adapters.Tests.Azure;

public sealed class StorageConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS12YWx1ZQ==";

    [Fact]
    public void Parse_DevelopmentStorage_IsAzuriteOnItsDefaultPorts()
    {
        var account = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.Account);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", account.Blob.Primary.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1-secondary", account.Blob.Secondary!.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", account.Table.Primary.AbsoluteUri);
    }

    [Fact]
    public void Parse_AccountAndKey_DerivesPrimaryAndSecondaryEndpoints()
    {
        var account = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=prodbackups;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal("https://prodbackups.blob.core.windows.net/", account.Blob.Primary.AbsoluteUri);
        Assert.Equal("https://prodbackups-secondary.blob.core.windows.net/", account.Blob.Secondary!.AbsoluteUri);
        Assert.Equal("https://prodbackups.table.core.windows.net/", account.Table.Primary.AbsoluteUri);
    }

    [Fact]
    public void Parse_ExplicitEndpoints_AreUsed_WithoutAGuessedSecondary()
    {
        var account = StorageConnectionString.Parse($"AccountName=a;AccountKey={Key};BlobEndpoint=http://127.0.0.1:1/a;TableEndpoint=http://127.0.0.1:2/a");

        Assert.Equal("http://127.0.0.1:1/a", account.Blob.Primary.AbsoluteUri);
        Assert.Null(account.Blob.Secondary);
        Assert.Equal("http://127.0.0.1:2/a", account.Table.Primary.AbsoluteUri);
    }

    [Theory]
    [InlineData("AccountName=a", "AccountKey is missing")]
    [InlineData("AccountKey=c2VjcmV0LWtleS12YWx1ZQ==", "AccountName is missing")]
    [InlineData("AccountName=a;AccountKey=not base64!", "AccountKey of account 'a' is not base64")]
    [InlineData("AccountName=a;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==;BlobEndpoint=ftp://x", "BlobEndpoint 'ftp://x' is not an http(s) URL")]
    [InlineData("AccountName=a;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==;garbage", "'garbage' is not Name=Value")]
    public void Parse_BadInput_NamesTheSetting_AndNeverTheKey(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(text));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(Key, error.Message);
        Assert.DoesNotContain("not base64!", error.Message);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var account = StorageConnectionString.Parse($"AccountName=a;AccountKey={Key}");

        Assert.DoesNotContain(Key, account.ToString());
    }
}

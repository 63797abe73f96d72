using Strata.Adapters.Azure;

namespace Strata.Adapters.Tests.Azure;

public sealed class StorageAccountTests
{
    private const string Key = "c2VjcmV0LWtleS12YWx1ZQ==";

    [Fact]
    public void Parse_DevelopmentStorage_IsAzuriteOnItsDefaultPorts_WithItsPathStyleSecondary()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.AccountName);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", account.Blob!.Primary.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1-secondary", account.Blob.Secondary!.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", account.Table!.Primary.AbsoluteUri);
    }

    [Fact]
    public void Parse_AccountAndKey_DerivesPrimaryAndSecondaryEndpoints()
    {
        var account = StorageAccount.Parse($"DefaultEndpointsProtocol=https;AccountName=prodbackups;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal("https://prodbackups.blob.core.windows.net/", account.Blob!.Primary.AbsoluteUri);
        Assert.Equal("https://prodbackups-secondary.blob.core.windows.net/", account.Blob.Secondary!.AbsoluteUri);
        Assert.Equal("https://prodbackups.table.core.windows.net/", account.Table!.Primary.AbsoluteUri);
        Assert.Equal("https://prodbackups-secondary.table.core.windows.net/", account.Table.Secondary!.AbsoluteUri);
    }

    [Fact]
    public void Parse_ExplicitEndpoints_AreUsed_WithoutAGuessedSecondary()
    {
        var account = StorageAccount.Parse($"AccountName=a;AccountKey={Key};BlobEndpoint=http://127.0.0.1:1/a;TableEndpoint=http://127.0.0.1:2/a");

        Assert.Equal("http://127.0.0.1:1/a", account.Blob!.Primary.AbsoluteUri);
        Assert.Null(account.Blob.Secondary);
        Assert.Equal("http://127.0.0.1:2/a", account.Table!.Primary.AbsoluteUri);
    }

    [Theory]
    [InlineData("AccountName=a", "AccountKey is missing")]
    [InlineData("AccountKey=c2VjcmV0LWtleS12YWx1ZQ==", "AccountName is missing")]
    [InlineData("AccountName=a;AccountKey=not base64!", "AccountKey of account 'a' is not base64")]
    [InlineData("AccountName=a;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==;BlobEndpoint=ftp://x", "BlobEndpoint 'ftp://x' is not an http(s) URL")]
    [InlineData("AccountName=a;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==;garbage", "'garbage' is not Name=Value")]
    [InlineData("AccountName=a;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==;DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol must be https or http")]
    [InlineData("AccountName=a;SharedAccessSignature=sv=2024&sig=c2VjcmV0LWtleS12YWx1ZQ==;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==", "SharedAccessSignature is not accepted")]
    public void Parse_BadInput_NamesTheSetting_AndNeverTheKey(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StorageAccount.Parse(text));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(Key, error.Message);
        Assert.DoesNotContain("not base64!", error.Message);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var account = StorageAccount.Parse($"AccountName=a;AccountKey={Key}");

        Assert.DoesNotContain(Key, account.ToString());
    }

    [Fact]
    public void BlobClient_SecondaryOnAnotherHost_IsWhereReadsFallBack_ButAPathStyleOneIsNot()
    {
        var azure = StorageAccount.Parse($"AccountName=prodbackups;AccountKey={Key}");
        var azurite = StorageAccount.Parse("UseDevelopmentStorage=true");
        var azureOptions = StorageClientDefaults.Blob();
        var azuriteOptions = StorageClientDefaults.Blob();

        azure.CreateBlobServiceClient(azureOptions);
        azurite.CreateBlobServiceClient(azuriteOptions);

        Assert.Equal("https://prodbackups-secondary.blob.core.windows.net/", azureOptions.GeoRedundantSecondaryUri!.AbsoluteUri);
        Assert.Null(azuriteOptions.GeoRedundantSecondaryUri);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1-secondary", azurite.CreateBlobSecondaryClient()!.Uri.AbsoluteUri);
    }
}

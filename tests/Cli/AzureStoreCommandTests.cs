using System.Text.Json.Nodes;
using Strata.Adapters.Azure.Blob;
using Strata.Adapters.Azure.Table;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// The CLI with artifacts in Azure Blob storage and run history in Azure Table storage (Azurite):
/// a backup of one sandbox cluster, restored into another, every command reading the same account.
/// </summary>
public sealed class AzureStoreCommandTests(AzuriteFixture azurite) : TwoClusterCli, IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task BackupAndRestore_WithStoreAndHistoryInAzurite_RoundTrip()
    {
        var container = AzuriteFixture.UniqueName("cli");
        string[] remote = ["--store", azurite.ConnectionString, "--store-container", container, "--history", azurite.ConnectionString];

        var (backupCode, backupOut, backupError) = await RunAsync(["backup", "create", "--context", "prod", "-o", "json", .. remote]);
        Assert.True(backupCode == 0, backupError);
        var backup = JsonNode.Parse(backupOut)!.AsObject();
        var backupId = backup["id"]!.GetValue<string>();

        var (restoreCode, restoreOut, restoreError) = await RunAsync(
            ["restore", "create", "--from-backup", backupId, "--to-context", "dr", "--namespace-mappings", "shop:shop-dr", "-o", "json", .. remote]);
        Assert.True(restoreCode == 0, restoreError);
        var restore = JsonNode.Parse(restoreOut)!.AsObject();

        // The artifacts are blobs in the container, the runs are entities in the tables.
        var account = azurite.Account;
        var blobs = new BlobArtifactStore(account.CreateBlobServiceClient().GetBlobContainerClient(container));
        var keys = await blobs.ListAsync(backup["location"]!.GetValue<string>()).Select(a => a.Key).ToListAsync();
        Assert.Contains(keys, k => k.EndsWith("/manifest.json", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.EndsWith("/resources.tar.gz", StringComparison.Ordinal));
        var history = new TableRunHistory(account.CreateTableServiceClient());
        Assert.Equal("Verified", (await history.FindBackupAsync(backupId))!.Status.ToString());
        Assert.NotNull(await history.FindRestoreAsync(restore["id"]!.GetValue<string>()));
        Assert.Equal(0, restore["counts"]!["failed"]?.GetValue<long>() ?? 0);
        Assert.NotNull(Dr.Store.Get(Dr.Store.FindType("", "configmaps")!, "shop-dr", "checkout-settings"));
        Assert.False(Directory.Exists(Path.Combine(Dir.Path, ".strata", "history")), "the run history went to the local folder");

        // Every read command sees the same runs, with the store named by environment variable this time.
        Variables["STRATA_STORE"] = azurite.ConnectionString;
        var (listCode, listOut, _) = await RunAsync("backup", "list", "--store-container", container, "--history", azurite.ConnectionString, "-o", "json");
        Assert.Equal(0, listCode);
        Assert.Contains(backupId, listOut);
        var (describeCode, describeOut, describeError) = await RunAsync(
            "backup", "describe", backupId, "--store-container", container, "--history", azurite.ConnectionString, "-o", "json");
        Assert.True(describeCode == 0, describeError);
        Assert.Contains(container, JsonNode.Parse(describeOut)!["store"]!.GetValue<string>());
        var (restoresCode, restoresOut, _) = await RunAsync("restore", "list", "--history", azurite.ConnectionString);
        Assert.Equal(0, restoresCode);
        Assert.Contains(restore["id"]!.GetValue<string>(), restoresOut);
    }

    [Theory]
    [InlineData("--store", "https://acct.blob.core.windows.net", "names no container")]
    [InlineData("--store", "http://acct.blob.core.windows.net/c", "is not https://ACCOUNT.blob.core.windows.net/CONTAINER")]
    [InlineData("--store", "https://acct.blob.core.windows.net/c?sv=2024&sig=SECRETSIG", "a SAS is not accepted")]
    [InlineData("--history", "AccountName=a;AccountKey=SECRETKEY!!", "--history: connection string: AccountKey of account 'a' is not base64")]
    [InlineData("--history", "https://acct.table.core.windows.net/bad-prefix", "table prefix 'bad-prefix'")]
    public async Task BadStoreOrHistory_IsOneClearLine_WithoutSecrets(string option, string value, string expected)
    {
        var (code, _, error) = await RunAsync("backup", "list", option, value);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("SECRET", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task StorageRefusingTheKey_FailsWithOneLine_WithoutTheKey()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        var wrong = azurite.ConnectionString.Replace(azurite.ConnectionString.Split(';')[2], "AccountKey=" + key, StringComparison.Ordinal);

        var (code, _, error) = await RunAsync("backup", "list", "--history", wrong);

        Assert.Equal(2, code);
        Assert.Contains("403", error);
        Assert.DoesNotContain(key, error);
        Assert.Single(error.Trim().Split('\n'));
    }
}

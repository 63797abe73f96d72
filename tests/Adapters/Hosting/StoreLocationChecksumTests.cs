using Azure.Storage;
using Strata.Adapters.Azure.Blob;
using Strata.Adapters.Hosting;
using Strata.Core.Ports;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>
/// <c>STRATA_BLOB_CHECKSUM</c> and <c>--store-checksum</c> reach the uploads of the store <see cref="StoreLocation"/>
/// builds, against Azurite: MD5 by default, which Azurite checks; CRC64 when asked, which Azurite 3.35.0 does not speak
/// (it keeps the structured-message framing as content), so the SDK refuses the upload — proof the setting got there.
/// </summary>
public sealed class StoreLocationChecksumTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private StoreLocation Resolve(string container, string? setting, string? option = null) =>
        StoreLocation.Resolve(azurite.ConnectionString, container, _home.Path, name => name == StoreLocation.ChecksumSetting ? setting : null, _home.Path, option);

    private static async Task WriteAsync(IArtifactStore store, string key, byte[] content)
    {
        await using var writer = await store.CreateAsync(key);
        await writer.Content.WriteAsync(content);
        await writer.CommitAsync();
    }

    private static async Task<byte[]> ReadAsync(IArtifactStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("md5")]
    [InlineData("MD5")]
    public async Task Resolve_Md5OrNoSetting_UploadsCarryContentMd5_AndAzuriteStoresTheBytes(string? setting)
    {
        var location = Resolve(setting switch { null => "md5-default", "md5" => "md5-lower", _ => "md5-upper" }, setting);
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3000);

        await WriteAsync(location.Artifacts, "c/p/1/manifest.json", content);

        Assert.Equal(StorageChecksumAlgorithm.MD5, Assert.IsType<BlobArtifactStore>(location.Artifacts).TransferChecksum);
        Assert.Equal(content, await ReadAsync(location.Artifacts, "c/p/1/manifest.json"));
    }

    [Theory]
    [InlineData("crc64", null)]
    [InlineData(null, "crc64")]
    [InlineData("md5", "crc64")]
    public async Task Resolve_Crc64_UploadsCarryAStructuredBody_WhichAzuriteCannotStore(string? setting, string? option)
    {
        var location = Resolve("crc64-" + (setting ?? "none") + "-" + (option ?? "none"), setting, option);

        var refused = await Record.ExceptionAsync(() => WriteAsync(location.Artifacts, "c/p/1/manifest.json", new byte[3000]));

        Assert.Equal(StorageChecksumAlgorithm.StorageCrc64, Assert.IsType<BlobArtifactStore>(location.Artifacts).TransferChecksum);
        Assert.NotNull(refused);
    }

    [Fact]
    public void Resolve_UnknownChecksum_NamesTheSettingAndTheChoices()
    {
        var error = Assert.Throws<StoreConfigurationException>(() => Resolve("bad", "sha1"));

        Assert.Equal("STRATA_BLOB_CHECKSUM: 'sha1' is not a checksum Strata offers; use md5 or crc64", error.Message);
    }
}

using Strata.Adapters.Local;
using Strata.Core.Ports;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Local;

public class LocalStoreTests
{
    [Fact]
    public async Task Create_ExistingKey_IsNeverOverwritten()
    {
        using var dir = new TempDirectory();
        var store = new LocalFolderArtifactStore(dir.Path);
        await using (var first = await store.CreateAsync("backups/a/b"))
        {
            await first.Content.WriteAsync("one"u8.ToArray());
            await first.CommitAsync();
        }

        await Assert.ThrowsAsync<ArtifactExistsException>(() => store.CreateAsync("backups/a/b"));
        await using var read = await store.OpenReadAsync("backups/a/b");
        Assert.Equal("one", await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task Dispose_WithoutCommit_LeavesNothing()
    {
        using var dir = new TempDirectory();
        var store = new LocalFolderArtifactStore(dir.Path);
        await using (var writer = await store.CreateAsync("backups/x"))
        {
            await writer.Content.WriteAsync("partial"u8.ToArray());
        }

        Assert.Empty(await store.ListAsync("").ToListAsync());
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.OpenReadAsync("backups/x"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    public async Task Create_KeyLeavingTheFolder_IsRefused(string key)
    {
        using var dir = new TempDirectory();

        await Assert.ThrowsAsync<ArgumentException>(() => new LocalFolderArtifactStore(dir.Path).CreateAsync(key));
    }
}

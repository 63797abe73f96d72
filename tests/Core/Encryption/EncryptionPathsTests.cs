using Strata.Core.Encryption;

namespace Strata.Core.Tests.Encryption;

public class EncryptionPathsTests
{
    [Theory]
    [InlineData("databases/shop/pg/app.dump", false, false, true)]
    [InlineData("applications/shop/redis/dump.rdb", false, false, true)]
    [InlineData("etcd/snapshot.db", false, true, true)]
    [InlineData("control-plane/node-1.tar", false, true, true)]
    [InlineData("resources.tar.gz", false, false, false)]
    [InlineData("volumes/shop/data.json", false, false, false)]
    [InlineData("cnpg/shop/pg/backup.json", false, false, false)]
    [InlineData("keys/20261130T010000Z-abcdefabcdef.json", false, false, false)]
    [InlineData("manifest.json", false, false, false)]
    [InlineData("manifest.sig", false, false, false)]
    public void For_EachMode_EncryptsWhatTheTableSays(string path, bool none, bool secrets, bool all)
    {
        Assert.Equal(none, EncryptionPaths.For(EncryptionMode.None)(path));
        Assert.Equal(secrets, EncryptionPaths.For(EncryptionMode.Secrets)(path));
        Assert.Equal(all, EncryptionPaths.For(EncryptionMode.All)(path));
        Assert.NotEqual("not a path Strata encrypts", EncryptionPaths.Reason(path));
    }
}

using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

public sealed class EtcdToolTests
{
    [Fact]
    public void Require_ProgramNotInstalled_FailsSayingWhatToInstall()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => EtcdTool.Require("etcd-no-such-program"));

        Assert.Equal($"{EtcdTool.NotInstalled}; 'etcd-no-such-program' is not on PATH", failure.Message);
    }

    [Fact]
    public void Require_EtcdAndEtcdctl_AreInstalledHere()
    {
        Assert.True(File.Exists(EtcdTool.Etcd));
        Assert.True(File.Exists(EtcdTool.Etcdctl));
    }
}

using System.Text;
using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;
using Strata.TestKit;
using Strata.TestKit.Etcd;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>
/// A new throwaway etcd started with this machine's <c>etcd</c> (the rebuild drill's restored one is covered by
/// <see cref="EtcdRebuildDrillTests"/>): it answers on loopback, keeps what is put, and disposing stops it and deletes
/// its folder. Fails (never skips) when etcd is not installed.
/// </summary>
public sealed class LocalEtcdProcessTests : IDisposable
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task StartAsync_NewMember_AnswersOnLoopbackKeepsKeys_ThenDisposeStopsItAndDeletesItsFolder()
    {
        var folder = Path.Combine(_work.Path, "member");

        var etcd = await LocalEtcdProcess.StartAsync(EtcdTool.Etcd, folder, "demo-etcd", Connector, TimeProvider.System);
        var put = await EtcdWriter.PutAsync(etcd.Endpoint, Enumerable.Range(0, 3).Select(i => KeyValuePair.Create($"/registry/pods/shop/web-{i}", Encoding.UTF8.GetBytes("{}"))));
        EtcdMemberStatus status;
        long keys;
        await using (var endpoints = await Connector.ConnectAsync(etcd.Access))
        {
            status = await endpoints.Members[0].StatusAsync();
            keys = await endpoints.Members[0].KeysAsync("/registry/").LongCountAsync();
        }

        var (dataExisted, startDuration) = (Directory.Exists(etcd.DataDirectory), etcd.StartDuration);
        await etcd.DisposeAsync();

        Assert.Equal((3, 3), (put, keys));
        Assert.Equal(("127.0.0.1", "http"), (etcd.Endpoint.Host, etcd.Endpoint.Scheme));
        Assert.Equal([etcd.Endpoint], etcd.Access.Endpoints);
        Assert.NotEqual(etcd.Endpoint.Port, etcd.PeerUrl.Port);
        Assert.True(dataExisted && startDuration > TimeSpan.Zero);
        Assert.False(string.IsNullOrEmpty(status.Version));
        Assert.True(etcd.HasExited);
        Assert.False(Directory.Exists(folder));
        await using var gone = await Connector.ConnectAsync(etcd.Access with { DialTimeout = TimeSpan.FromSeconds(1) });
        await Assert.ThrowsAsync<EtcdRequestException>(() => gone.Members[0].StatusAsync());
    }

    [Fact]
    public async Task StartAsync_ProgramThatExitsAtOnce_FailsSayingSoAndLeavesNoFolder()
    {
        var folder = Path.Combine(_work.Path, "member");

        // /bin/false as etcd: it exits 1 without a word (a script written here could hit ETXTBSY while other tests fork).
        var error = await Assert.ThrowsAsync<EtcdRehearsalException>(() => LocalEtcdProcess.StartAsync("/bin/false", folder, "broken", Connector, TimeProvider.System));

        Assert.Equal("etcd exited (1) before it answered: (it wrote nothing)", error.Message);
        Assert.False(Directory.Exists(folder));
    }
}

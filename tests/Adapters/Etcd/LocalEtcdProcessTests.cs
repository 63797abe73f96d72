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

    [Fact]
    public async Task StartAsync_NewMember_RunsUnderAKillTimerSoAnOrphanDoesNotServeForEver()
    {
        var name = "timed-" + Guid.NewGuid().ToString("N")[..8];

        await using var etcd = await LocalEtcdProcess.StartAsync(EtcdTool.Etcd, Path.Combine(_work.Path, "member"), name, Connector, TimeProvider.System);

        var commandLines = Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline"))
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains($"--name {name} ", StringComparison.Ordinal)).ToList();
        Assert.Contains(commandLines, c => c.StartsWith($"/usr/bin/timeout --signal=KILL {(int)LocalEtcdProcess.MaxLifetime.TotalSeconds}s {EtcdTool.Etcd} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewSnapshotFile_DefaultWorkFolder_ReadableByItsOwnerOnly()
    {
        var rehearsals = new LocalEtcdRehearsals(Connector, TimeProvider.System);

        var file = rehearsals.NewSnapshotFile();
        var folder = Path.GetDirectoryName(file.Path)!;
        try
        {
            await file.Content.WriteAsync(new byte[] { 1, 2, 3 });
            await file.Content.FlushAsync();

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.StartsWith(Path.Combine(Path.GetTempPath(), "strata-etcd-rehearsals-"), file.Path, StringComparison.Ordinal);
        }
        finally
        {
            await file.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}

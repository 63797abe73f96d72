using System.Runtime.CompilerServices;
using Strata.Core.Etcd;

namespace Strata.Core.Tests.Etcd;

/// <summary>A rehearsal host without processes: it records the snapshot it was given and "rebuilds" an etcd whose keys the test sets.</summary>
internal sealed class FakeRehearsals : IEtcdRehearsals, IEtcdConnector
{
    public string? Unavailable { get; set; }

    /// <summary>The keys the rebuilt etcd lists.</summary>
    public List<string> Keys { get; } = [];

    /// <summary>Thrown by the rebuild, as a failed restore would.</summary>
    public EtcdRehearsalException? RestoreFailure { get; set; }

    /// <summary>The bytes of each snapshot file handed to a rebuild.</summary>
    public List<byte[]> Rebuilt { get; } = [];

    public List<FakeSnapshotFile> Files { get; } = [];

    public int Disposed { get; private set; }

    /// <summary>Runs when a rebuild starts (to look at what the caller recorded meanwhile).</summary>
    public Func<Task>? OnRebuild { get; set; }

    public IEtcdSnapshotFile NewSnapshotFile()
    {
        var file = new FakeSnapshotFile($"/tmp/fake-{Files.Count}.db");
        Files.Add(file);
        return file;
    }

    public async Task<IRehearsedEtcd> RebuildAsync(string snapshotFile, string name, CancellationToken cancellationToken = default)
    {
        var file = Files.Single(f => f.Path == snapshotFile);
        Assert.True(file.Closed, "the snapshot file is closed before its restore");
        Rebuilt.Add(file.Bytes);
        Names.Add(name);
        if (OnRebuild is { } look)
        {
            await look();
        }

        return RestoreFailure is { } failure ? throw failure : new Rehearsed(this);
    }

    /// <summary>The member names rebuilds were asked for.</summary>
    public List<string> Names { get; } = [];

    public Task<IEtcdEndpoints> ConnectAsync(EtcdAccess access, CancellationToken cancellationToken = default) =>
        Task.FromResult<IEtcdEndpoints>(new Endpoints(this, access.Endpoints[0]));

    internal sealed class FakeSnapshotFile(string path) : IEtcdSnapshotFile
    {
        private readonly Recording _content = new();

        public string Path { get; } = path;

        public Stream Content => _content;

        public byte[] Bytes => _content.Written;

        public bool Closed => _content.Closed;

        public bool Deleted { get; private set; }

        public ValueTask DisposeAsync()
        {
            Deleted = true;
            return _content.DisposeAsync();
        }

        private sealed class Recording : MemoryStream
        {
            public byte[] Written { get; private set; } = [];

            public bool Closed { get; private set; }

            protected override void Dispose(bool disposing)
            {
                if (!Closed)
                {
                    Written = ToArray();
                    Closed = true;
                }

                base.Dispose(disposing);
            }
        }
    }

    private sealed class Rehearsed(FakeRehearsals owner) : IRehearsedEtcd
    {
        public EtcdAccess Access { get; } = new() { Endpoints = [new Uri("http://127.0.0.1:1")] };

        public string RestoreTool => "etcdutl 3.5.12";

        public TimeSpan RestoreDuration => TimeSpan.FromSeconds(1.5);

        public TimeSpan StartDuration => TimeSpan.FromSeconds(0.5);

        public ValueTask DisposeAsync()
        {
            owner.Disposed++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Endpoints(FakeRehearsals owner, Uri endpoint) : IEtcdEndpoints, IEtcdMember
    {
        public IReadOnlyList<IEtcdMember> Members => [this];

        public Uri Endpoint => endpoint;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public Task<EtcdMemberStatus> StatusAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<EtcdSnapshotChunk> SnapshotAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<string> KeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            foreach (var key in owner.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                yield return key;
            }
        }
    }
}

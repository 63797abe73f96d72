using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Strata.Core.Artifacts;

namespace Strata.Core.Restore;

/// <summary>
/// Holds the archive's documents between verification and apply, one scratch stream per resource
/// type, so the archive is read (and hashed) once and memory does not grow with the backup.
/// Records: [path length][path][flags][document length][document].
/// </summary>
internal sealed class RestoreSpool(Func<Stream> scratch) : IAsyncDisposable
{
    private readonly Dictionary<SourceType, (Stream Stream, long Count)> _types = [];
    private readonly byte[] _header = new byte[4];

    public IEnumerable<SourceType> Types => _types.Keys;

    public long Count(SourceType type) => _types.TryGetValue(type, out var t) ? t.Count : 0;

    public long Total => _types.Values.Sum(t => t.Count);

    public async Task AppendAsync(SourceType type, string path, bool selected, byte[] document, CancellationToken cancellationToken)
    {
        if (!_types.TryGetValue(type, out var entry))
        {
            entry = (scratch(), 0);
        }

        var stream = entry.Stream;
        var pathBytes = Encoding.UTF8.GetBytes(path);
        await WriteLengthAsync(stream, pathBytes.Length, cancellationToken);
        await stream.WriteAsync(pathBytes, cancellationToken);
        stream.WriteByte(selected ? (byte)1 : (byte)0);
        await WriteLengthAsync(stream, document.Length, cancellationToken);
        await stream.WriteAsync(document, cancellationToken);
        _types[type] = (stream, entry.Count + 1);
    }

    /// <summary>The documents of <paramref name="type"/>, in archive order.</summary>
    public async IAsyncEnumerable<SpooledDocument> ReadAsync(SourceType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_types.TryGetValue(type, out var entry))
        {
            yield break;
        }

        var stream = entry.Stream;
        await stream.FlushAsync(cancellationToken);
        stream.Position = 0;
        var header = new byte[4];
        for (long i = 0; i < entry.Count; i++)
        {
            var path = Encoding.UTF8.GetString(await ReadBlockAsync(stream, header, cancellationToken));
            var selected = stream.ReadByte() == 1;
            var document = await ReadBlockAsync(stream, header, cancellationToken);
            ResourceEntryPath.TryParse(path, out var parsed, out _);
            yield return new SpooledDocument(parsed!, selected, document, path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (stream, _) in _types.Values)
        {
            await stream.DisposeAsync();
        }

        _types.Clear();
    }

    private async Task WriteLengthAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_header, length);
        await stream.WriteAsync(_header, cancellationToken);
    }

    private static async Task<byte[]> ReadBlockAsync(Stream stream, byte[] header, CancellationToken cancellationToken)
    {
        await stream.ReadExactlyAsync(header, cancellationToken);
        var block = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
        await stream.ReadExactlyAsync(block, cancellationToken);
        return block;
    }
}

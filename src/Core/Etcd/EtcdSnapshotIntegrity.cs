using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Strata.Core.Etcd;

/// <summary>
/// Checks an etcd snapshot as it streams by, forward only and in constant memory: etcd's snapshot is the bbolt
/// database file followed by the SHA-256 of that file (32 bytes), so the last 32 bytes are held back and every byte
/// before them hashed; the file's two meta pages (magic, version, page size, FNV-64a checksum) are read from its head,
/// and the database's length must be the meta's page count times its page size — a snapshot cut short, padded, or
/// with one byte flipped fails, with what is wrong named.
/// </summary>
public sealed class EtcdSnapshotIntegrity
{
    /// <summary>The length of etcd's SHA-256 trailer.</summary>
    public const int TrailerLength = 32;

    private const uint Magic = 0xED0CDAED;
    private const uint FormatVersion = 2;
    private const int PageHeaderLength = 16;
    private const int MetaChecksumOffset = 56;
    private const ushort MetaPageFlag = 0x04;
    private const int MaxPageSize = 64 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _tail = new byte[TrailerLength];
    private readonly byte[] _head = new byte[2 * MaxPageSize];
    private int _tailLength;
    private int _headLength;
    private long _total;

    /// <summary>Bytes seen so far, trailer included.</summary>
    public long Length => _total;

    /// <summary>Takes the next bytes of the snapshot.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        if (_headLength < _head.Length)
        {
            var n = Math.Min(data.Length, _head.Length - _headLength);
            data[..n].CopyTo(_head.AsSpan(_headLength));
            _headLength += n;
        }

        // Whatever falls out of the last 32 bytes belongs to the database: hash it.
        var keep = Math.Min(TrailerLength, _tailLength + data.Length);
        var release = _tailLength + data.Length - keep;
        var fromTail = Math.Min(release, _tailLength);
        _hash.AppendData(_tail.AsSpan(0, fromTail));
        _hash.AppendData(data[..(release - fromTail)]);
        var kept = _tailLength - fromTail;
        _tail.AsSpan(fromTail, kept).CopyTo(_tail);
        data[(release - fromTail)..].CopyTo(_tail.AsSpan(kept));
        _tailLength = keep;
    }

    /// <summary>Judges the snapshot once every byte has been appended; call once.</summary>
    public EtcdSnapshotVerdict Complete()
    {
        // The hash of every byte (the artifact's) continues the database's with the trailer: one pass gives both.
        string sha;
        using (var whole = _hash.Clone())
        {
            whole.AppendData(_tail.AsSpan(0, _tailLength));
            sha = Convert.ToHexStringLower(whole.GetHashAndReset());
        }

        return Judge(Convert.ToHexStringLower(_hash.GetHashAndReset())) with { Sha256 = sha };
    }

    private EtcdSnapshotVerdict Judge(string databaseSha)
    {
        if (_total < TrailerLength + PageHeaderLength + 64)
        {
            return EtcdSnapshotVerdict.Broken(_total, _total == 0 ? "the snapshot is empty" : $"the snapshot is {_total} bytes: too short to hold a bbolt database and etcd's SHA-256");
        }

        var trailer = Convert.ToHexStringLower(_tail.AsSpan(0, TrailerLength));
        var databaseLength = _total - TrailerLength;
        if (ReadMeta(_head.AsSpan(0, Math.Min(_headLength, (int)Math.Min(databaseLength, _head.Length))), 0) is not { } meta0)
        {
            return EtcdSnapshotVerdict.Broken(_total, $"not a bbolt database: {MetaProblem(_head.AsSpan(0, _headLength), 0)}");
        }

        var second = ReadMeta(_head.AsSpan(0, Math.Min(_headLength, (int)Math.Min(databaseLength, _head.Length))), meta0.PageSize);
        if (second is null)
        {
            return EtcdSnapshotVerdict.Broken(_total, $"the bbolt database's second meta page is damaged: {MetaProblem(_head.AsSpan(0, _headLength), meta0.PageSize)}");
        }

        var expected = (long)meta0.PageCount * meta0.PageSize;
        if (databaseLength != expected)
        {
            return EtcdSnapshotVerdict.Broken(_total,
                $"the database is {databaseLength} bytes, but its meta page says {meta0.PageCount} pages of {meta0.PageSize} bytes ({expected}): "
                + (databaseLength < expected ? "the snapshot is cut short" : "bytes were added to it"));
        }

        if (!string.Equals(trailer, databaseSha, StringComparison.Ordinal))
        {
            return EtcdSnapshotVerdict.Broken(_total, $"etcd's SHA-256 at the end of the snapshot ({trailer}) does not match its database ({databaseSha}): the snapshot is damaged");
        }

        return new EtcdSnapshotVerdict(true, null, _total, databaseLength, databaseSha, meta0.PageSize, Math.Max(meta0.TxId, second.Value.TxId));
    }

    private static (int PageSize, ulong PageCount, ulong TxId)? ReadMeta(ReadOnlySpan<byte> head, int offset)
    {
        if (offset + PageHeaderLength + 64 > head.Length)
        {
            return null;
        }

        var page = head[offset..];
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(page[8..]);
        var meta = page[PageHeaderLength..];
        var pageSize = BinaryPrimitives.ReadUInt32LittleEndian(meta[8..]);
        var valid = flags == MetaPageFlag
            && BinaryPrimitives.ReadUInt32LittleEndian(meta) == Magic
            && BinaryPrimitives.ReadUInt32LittleEndian(meta[4..]) == FormatVersion
            && pageSize is >= 512 and <= MaxPageSize && (pageSize & (pageSize - 1)) == 0
            && (offset == 0 || offset == pageSize)
            && BinaryPrimitives.ReadUInt64LittleEndian(meta[MetaChecksumOffset..]) == Fnv64a(meta[..MetaChecksumOffset]);
        return valid ? ((int)pageSize, BinaryPrimitives.ReadUInt64LittleEndian(meta[40..]), BinaryPrimitives.ReadUInt64LittleEndian(meta[48..])) : null;
    }

    private static string MetaProblem(ReadOnlySpan<byte> head, int offset)
    {
        if (offset + PageHeaderLength + 64 > head.Length)
        {
            return $"the file ends before its meta page at byte {offset}";
        }

        var meta = head[(offset + PageHeaderLength)..];
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(meta);
        var version = BinaryPrimitives.ReadUInt32LittleEndian(meta[4..]);
        return magic != Magic ? $"the meta page at byte {offset} has magic 0x{magic:x8}, not 0x{Magic:x8}"
            : version != FormatVersion ? $"the meta page at byte {offset} has format version {version}, not {FormatVersion}"
            : $"the meta page at byte {offset} fails its checksum, page flags or page size";
    }

    private static ulong Fnv64a(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}

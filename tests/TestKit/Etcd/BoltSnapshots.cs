using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Strata.TestKit.Etcd;

/// <summary>
/// Minimal bbolt-shaped etcd snapshots for tests that need no etcd: two meta pages (magic, version 2, page size,
/// root bucket, freelist, page count, transaction id, FNV-64a checksum), a freelist page, a leaf page and any number
/// of filler pages, followed by the SHA-256 of it all as etcd appends it. <c>EtcdSnapshotIntegrity</c> reads them as
/// intact; etcd's own tools would not (the pages hold no buckets) — use a real etcd where that matters.
/// </summary>
public static class BoltSnapshots
{
    /// <summary>The page size the snapshots are written with.</summary>
    public const int PageSize = 4096;

    private const uint Magic = 0xED0CDAED;

    /// <summary>A snapshot of 4 + <paramref name="fillerPages"/> pages (filler bytes from <paramref name="seed"/>), trailer included.</summary>
    public static byte[] Build(int fillerPages = 0, ulong transactionId = 42, int seed = 1)
    {
        var pages = 4 + fillerPages;
        var database = new byte[pages * PageSize];
        Meta(database.AsSpan(0, PageSize), 0, (ulong)pages, transactionId - 1);
        Meta(database.AsSpan(PageSize, PageSize), 1, (ulong)pages, transactionId);
        Header(database.AsSpan(2 * PageSize), 2, 0x10);
        Header(database.AsSpan(3 * PageSize), 3, 0x02);
        new Random(seed).NextBytes(database.AsSpan(4 * PageSize));
        for (var p = 4; p < pages; p++)
        {
            Header(database.AsSpan(p * PageSize), (ulong)p, 0x02);
        }

        return [.. database, .. SHA256.HashData(database)];
    }

    /// <summary><paramref name="snapshot"/> with the byte at <paramref name="offset"/> flipped (a copy).</summary>
    public static byte[] Flipped(byte[] snapshot, long offset)
    {
        var copy = snapshot.ToArray();
        copy[offset] ^= 0xFF;
        return copy;
    }

    /// <summary>The first <paramref name="length"/> bytes of <paramref name="snapshot"/>.</summary>
    public static byte[] Truncated(byte[] snapshot, int length) => snapshot[..length];

    /// <summary>SHA-256 of the database (without the trailer), lowercase hex: what etcd's trailer holds.</summary>
    public static string DatabaseSha256(byte[] snapshot) => Convert.ToHexStringLower(SHA256.HashData(snapshot.AsSpan(0, snapshot.Length - 32)));

    private static void Header(Span<byte> page, ulong id, ushort flags)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(page, id);
        BinaryPrimitives.WriteUInt16LittleEndian(page[8..], flags);
    }

    private static void Meta(Span<byte> page, ulong id, ulong pageCount, ulong txid)
    {
        Header(page, id, 0x04);
        var meta = page[16..];
        BinaryPrimitives.WriteUInt32LittleEndian(meta, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(meta[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(meta[8..], PageSize);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[16..], 3); // root bucket's page
        BinaryPrimitives.WriteUInt64LittleEndian(meta[32..], 2); // freelist page
        BinaryPrimitives.WriteUInt64LittleEndian(meta[40..], pageCount);
        BinaryPrimitives.WriteUInt64LittleEndian(meta[48..], txid);
        var hash = 14695981039346656037UL;
        foreach (var b in meta[..56])
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(meta[56..], hash);
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Strata.TestKit.Etcd;

/// <summary>
/// Bytes shaped as an etcd snapshot without an etcd: a bbolt file of <c>pages</c> pages whose two meta pages are valid
/// (magic, version, page size, page count, FNV-64a checksum) followed by etcd's SHA-256 trailer. Enough for
/// <see cref="Core.Etcd.EtcdSnapshotIntegrity"/>, not for <c>etcdutl snapshot restore</c> (its buckets are empty pages).
/// </summary>
public static class SyntheticEtcdSnapshot
{
    /// <summary>A snapshot of <paramref name="pages"/> pages of <paramref name="pageSize"/> bytes, trailer included.</summary>
    public static byte[] Create(int pages = 4, int pageSize = 4096, ulong transaction = 7)
    {
        var database = new byte[pages * pageSize];
        Random.Shared.NextBytes(database.AsSpan(2 * pageSize));
        for (var meta = 0; meta < 2; meta++)
        {
            var page = database.AsSpan(meta * pageSize);
            BinaryPrimitives.WriteUInt64LittleEndian(page, (ulong)meta);
            BinaryPrimitives.WriteUInt16LittleEndian(page[8..], 0x04);
            var body = page[16..];
            BinaryPrimitives.WriteUInt32LittleEndian(body, 0xED0CDAED);
            BinaryPrimitives.WriteUInt32LittleEndian(body[4..], 2);
            BinaryPrimitives.WriteUInt32LittleEndian(body[8..], (uint)pageSize);
            BinaryPrimitives.WriteUInt64LittleEndian(body[16..], 3);
            BinaryPrimitives.WriteUInt64LittleEndian(body[32..], 2);
            BinaryPrimitives.WriteUInt64LittleEndian(body[40..], (ulong)pages);
            BinaryPrimitives.WriteUInt64LittleEndian(body[48..], transaction - 1 + (ulong)meta);
            BinaryPrimitives.WriteUInt64LittleEndian(body[56..], Fnv64a(body[..56]));
        }

        return [.. database, .. SHA256.HashData(database)];
    }

    /// <summary>Lowercase hex SHA-256 of <paramref name="bytes"/>, as manifests record it.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

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

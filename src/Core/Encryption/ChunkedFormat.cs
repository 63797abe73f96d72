using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Core.Encryption;

/// <summary>
/// The chunked AES-256-GCM format of a whole encrypted artifact (docs/encryption.md): a 19-byte header
/// (<c>STRATAE1</c>, plaintext bytes per chunk as uint32 big-endian, a 7-byte random nonce prefix), then chunks of
/// ciphertext ‖ 16-byte tag. Chunk i's nonce is prefix ‖ uint32-BE(i) ‖ (0x01 on the final chunk, else 0x00), its
/// associated data the header ‖ UTF-8 of the artifact's path within the backup, so a chunk cannot be moved, dropped,
/// or carried into another artifact unnoticed.
/// </summary>
public static class ChunkedFormat
{
    /// <summary>The magic at the start of every encrypted artifact.</summary>
    public const string Magic = "STRATAE1";

    /// <summary>Length of <see cref="Magic"/>.</summary>
    public const int MagicSize = 8;

    /// <summary>Length of the random nonce prefix in the header.</summary>
    public const int NoncePrefixSize = 7;

    /// <summary>Length of the header: magic, chunk size, nonce prefix.</summary>
    public const int HeaderSize = MagicSize + sizeof(uint) + NoncePrefixSize;

    /// <summary>Length of an AES-GCM nonce.</summary>
    public const int NonceSize = 12;

    /// <summary>Length of an AES-GCM tag.</summary>
    public const int TagSize = 16;

    /// <summary>Plaintext bytes per chunk that Strata writes.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>The largest chunk size a reader accepts (a header is read before it is authenticated).</summary>
    public const int MaxChunkSize = 16 * 1024 * 1024;

    /// <summary>A new header for <paramref name="chunkSize"/> with a fresh random nonce prefix.</summary>
    public static byte[] NewHeader(int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxChunkSize);
        var header = new byte[HeaderSize];
        Encoding.ASCII.GetBytes(Magic, header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(MagicSize), (uint)chunkSize);
        RandomNumberGenerator.Fill(header.AsSpan(MagicSize + sizeof(uint), NoncePrefixSize));
        return header;
    }

    /// <summary>The chunk size a header states, or null when it is not a header of this format.</summary>
    public static int? ChunkSizeOf(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header[..MagicSize].SequenceEqual("STRATAE1"u8))
        {
            return null;
        }

        var size = BinaryPrimitives.ReadUInt32BigEndian(header[MagicSize..]);
        return size is >= 1 and <= MaxChunkSize ? (int)size : null;
    }

    /// <summary>Writes chunk <paramref name="index"/>'s nonce: the header's prefix ‖ uint32-BE(index) ‖ final flag.</summary>
    public static void Nonce(ReadOnlySpan<byte> header, uint index, bool final, Span<byte> nonce)
    {
        header.Slice(MagicSize + sizeof(uint), NoncePrefixSize).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NoncePrefixSize..], index);
        nonce[NonceSize - 1] = final ? (byte)1 : (byte)0;
    }

    /// <summary>Every chunk's associated data: the header ‖ UTF-8 of the artifact's path relative to the backup.</summary>
    public static byte[] AssociatedData(ReadOnlySpan<byte> header, string artifactPath)
    {
        var path = Encoding.UTF8.GetBytes(artifactPath);
        var data = new byte[HeaderSize + path.Length];
        header[..HeaderSize].CopyTo(data);
        path.CopyTo(data, HeaderSize);
        return data;
    }

    /// <summary>
    /// The plaintext length of an encrypted artifact of <paramref name="encryptedLength"/> bytes (one tag per chunk,
    /// every chunk but the last full), or null when no artifact of this format has that length.
    /// </summary>
    public static long? PlaintextLength(long encryptedLength, int chunkSize = DefaultChunkSize)
    {
        var body = encryptedLength - HeaderSize;
        if (body < TagSize)
        {
            return null;
        }

        var chunks = (body + chunkSize + TagSize - 1) / (chunkSize + TagSize);
        return body - (chunks * TagSize);
    }
}

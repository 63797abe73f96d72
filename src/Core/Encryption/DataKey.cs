using System.Security.Cryptography;

namespace Strata.Core.Encryption;

/// <summary>
/// A backup's data key: 256 random bits for AES-256-GCM, fresh per backup, only ever stored wrapped. Disposing it
/// zeroes the bytes.
/// </summary>
public sealed class DataKey : IDisposable
{
    /// <summary>Key length in bytes.</summary>
    public const int Size = 32;

    private readonly byte[] _bytes;

    private DataKey(byte[] bytes) => _bytes = bytes;

    /// <summary>The key bytes (valid until disposed).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A fresh random key.</summary>
    public static DataKey Create()
    {
        var bytes = new byte[Size];
        RandomNumberGenerator.Fill(bytes);
        return new(bytes);
    }

    /// <summary>A key from its bytes (after unwrapping); a clear error when they are not 32.</summary>
    public static DataKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size ? new DataKey(bytes.ToArray()) : throw new KeyUnwrapException($"an unwrapped data key has {bytes.Length} bytes, not {Size}");

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_bytes);
}

using System.Security.Cryptography;
using Strata.Core.Encryption;

namespace Strata.Core.Tests.Encryption;

public class ChunkedStreamTests
{
    private const int Chunk = 16;
    private const string Path = "databases/shop/pg/app.dump";

    private static readonly DataKey Key = DataKey.Create();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    [InlineData(5 * Chunk + 7)]
    public async Task ReadAsync_WhatWasWritten_ComesBackWhole(int length)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);

        var encrypted = await EncryptAsync(plaintext, Chunk);

        Assert.Equal(plaintext, await DecryptAsync(encrypted));
        Assert.Equal(plaintext, DecryptSync(encrypted));
    }

    [Fact]
    public async Task ReadAsync_DefaultChunkSize_SpansChunks()
    {
        var plaintext = RandomNumberGenerator.GetBytes((3 * ChunkedFormat.DefaultChunkSize) + 123);

        var encrypted = await EncryptAsync(plaintext, ChunkedFormat.DefaultChunkSize);

        Assert.Equal(plaintext, await DecryptAsync(encrypted));
        Assert.Equal(plaintext.Length, ChunkedFormat.PlaintextLength(encrypted.Length));
    }

    [Fact]
    public void Write_Synchronously_MatchesTheFormat()
    {
        var plaintext = RandomNumberGenerator.GetBytes((2 * Chunk) + 3);
        var output = new MemoryStream();
        using (var stream = new ChunkedEncryptionStream(output, Key, Path, Chunk, leaveOpen: true))
        {
            foreach (var b in plaintext)
            {
                stream.WriteByte(b);
            }
        }

        Assert.Equal(plaintext, DecryptSync(output.ToArray()));
    }

    [Fact]
    public async Task CompleteAsync_EmptyPlaintext_WritesOneEmptyFinalChunk()
    {
        var encrypted = await EncryptAsync([], Chunk);

        Assert.Equal(ChunkedFormat.HeaderSize + ChunkedFormat.TagSize, encrypted.Length);
        Assert.Equal("STRATAE1"u8.ToArray(), encrypted[..8]);
        Assert.Equal(new byte[] { 0, 0, 0, Chunk }, encrypted[8..12]);
        Assert.Empty(await DecryptAsync(encrypted));
    }

    [Fact]
    public async Task CompleteAsync_ExactMultipleOfChunkSize_EndsWithAFullFinalChunk()
    {
        var encrypted = await EncryptAsync(new byte[2 * Chunk], Chunk);

        Assert.Equal(ChunkedFormat.HeaderSize + (2 * (Chunk + ChunkedFormat.TagSize)), encrypted.Length);
        Assert.Equal(2 * Chunk, ChunkedFormat.PlaintextLength(encrypted.Length, Chunk));
    }

    [Fact]
    public async Task Chunks_AreSealedWithTheDocumentedNonceAndAssociatedData()
    {
        var plaintext = RandomNumberGenerator.GetBytes(Chunk + 5);
        var encrypted = await EncryptAsync(plaintext, Chunk);
        var header = encrypted[..ChunkedFormat.HeaderSize];
        byte[] aad = [.. header, .. System.Text.Encoding.UTF8.GetBytes(Path)];
        using var aes = new AesGcm(Key.Bytes, 16);

        var first = new byte[Chunk];
        aes.Decrypt((byte[])[.. header[12..19], 0, 0, 0, 0, 0], encrypted[19..(19 + Chunk)], encrypted[(19 + Chunk)..(19 + Chunk + 16)], first, aad);
        var last = new byte[5];
        aes.Decrypt((byte[])[.. header[12..19], 0, 0, 0, 1, 1], encrypted[(19 + Chunk + 16)..^16], encrypted[^16..], last, aad);

        Assert.Equal(plaintext, first.Concat(last).ToArray());
    }

    [Fact]
    public async Task ReadAsync_AnyFlippedBit_IsRefused()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 5), Chunk);

        for (var i = 0; i < encrypted.Length; i++)
        {
            var tampered = (byte[])encrypted.Clone();
            tampered[i] ^= (byte)(1 << (i % 8));

            await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync(tampered));
        }
    }

    [Fact]
    public async Task ReadAsync_TruncatedAnywhere_IsRefused()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 5), Chunk);

        for (var length = 0; length < encrypted.Length; length++)
        {
            await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync(encrypted[..length]));
        }
    }

    [Fact]
    public async Task ReadAsync_TruncatedAtAChunkBoundary_NamesTheChunk()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 5), Chunk);

        var error = await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync(encrypted[..(ChunkedFormat.HeaderSize + (2 * (Chunk + 16)))]));

        Assert.Contains($"'{Path}'", error.Message);
        Assert.Contains("chunk 1", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task ReadAsync_ReorderedChunks_AreRefused()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(3 * Chunk), Chunk);
        var sealedChunk = Chunk + 16;
        var first = encrypted.AsSpan(ChunkedFormat.HeaderSize, sealedChunk).ToArray();
        var second = encrypted.AsSpan(ChunkedFormat.HeaderSize + sealedChunk, sealedChunk).ToArray();
        byte[] reordered = [.. encrypted[..ChunkedFormat.HeaderSize], .. second, .. first, .. encrypted[(ChunkedFormat.HeaderSize + (2 * sealedChunk))..]];

        var error = await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync(reordered));

        Assert.Contains("chunk 0", error.Message);
    }

    [Fact]
    public async Task ReadAsync_DataAfterTheFinalChunk_IsRefused()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(Chunk + 3), Chunk);

        await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync([.. encrypted, 0]));
    }

    [Fact]
    public async Task ReadAsync_AnotherArtifactsPath_IsRefused()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(Chunk), Chunk);

        var error = await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync(encrypted, path: "databases/shop/pg/other.dump"));

        Assert.Contains("'databases/shop/pg/other.dump'", error.Message);
        Assert.Equal("databases/shop/pg/other.dump", error.Artifact);
    }

    [Fact]
    public async Task ReadAsync_WrongKey_IsRefused()
    {
        var encrypted = await EncryptAsync(RandomNumberGenerator.GetBytes(Chunk), Chunk);
        using var other = DataKey.Create();

        await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync(encrypted, key: other));
    }

    [Fact]
    public async Task ReadAsync_NotEncrypted_SaysSo()
    {
        var error = await Assert.ThrowsAsync<ArtifactDecryptionException>(() => DecryptAsync("PGDMP plain dump, not encrypted"u8.ToArray()));

        Assert.Contains("STRATAE1", error.Message);
    }

    [Fact]
    public async Task WriteAsync_AfterComplete_IsRefused()
    {
        var stream = new ChunkedEncryptionStream(new MemoryStream(), Key, Path, Chunk);
        await stream.CompleteAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.WriteAsync(new byte[1]).AsTask());
    }

    internal static async Task<byte[]> EncryptAsync(byte[] plaintext, int chunkSize, DataKey? key = null, string path = Path)
    {
        var output = new MemoryStream();
        await using (var stream = new ChunkedEncryptionStream(output, key ?? Key, path, chunkSize, leaveOpen: true))
        {
            // Uneven writes: chunk boundaries must not depend on how the caller splits its writes.
            for (var offset = 0; offset < plaintext.Length; offset += 7)
            {
                await stream.WriteAsync(plaintext.AsMemory(offset, Math.Min(7, plaintext.Length - offset)));
            }

            await stream.CompleteAsync();
        }

        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] encrypted, DataKey? key = null, string path = Path)
    {
        await using var stream = new ChunkedDecryptionStream(new MemoryStream(encrypted), key ?? Key, path);
        var output = new MemoryStream();
        await stream.CopyToAsync(output, 5);
        return output.ToArray();
    }

    private static byte[] DecryptSync(byte[] encrypted)
    {
        using var stream = new ChunkedDecryptionStream(new MemoryStream(encrypted), Key, Path);
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}

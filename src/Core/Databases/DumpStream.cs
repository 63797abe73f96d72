using System.Buffers;
using System.IO.Pipelines;
using Strata.Core.Artifacts;

namespace Strata.Core.Databases;

/// <summary>
/// Streams a tool's stdout into an artifact: every byte is hashed on its way to the store and, beside it, handed to a
/// <see cref="IDumpReader"/> through a bounded pipe — so the dump is read once, never held whole, and what it holds
/// is known when it ends. A reader that fails stops being fed; the bytes still reach the store.
/// </summary>
internal sealed class DumpStream(Stream destination, IDumpReader? reader)
{
    private const int BufferSize = 256 * 1024;
    private readonly HashingStream _hashing = new(destination);
    private Task<DumpReading>? _reading;

    /// <summary>Bytes written.</summary>
    public long Size => _hashing.BytesHashed;

    /// <summary>The SHA-256 of the bytes; ends hashing.</summary>
    public string Sha256 => _hashing.Sha256Hex;

    /// <summary>Copies <paramref name="source"/> to its end, reporting bytes to <paramref name="progress"/>.</summary>
    public async Task CopyAsync(Stream source, Action<long>? progress, CancellationToken cancellationToken)
    {
        var pipe = reader is null ? null : new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20, useSynchronizationContext: false));
        if (pipe is not null)
        {
            _reading = Task.Run(() => ReadAsync(pipe.Reader, cancellationToken), cancellationToken);
        }

        var feeding = pipe is not null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // A pipe hands over what the tool wrote last (pg_dump: 4 KiB at a time). Gathering a whole buffer before
            // hashing, storing and teeing it makes each of those one call per 256 KiB rather than one per write.
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer.AsMemory(0, BufferSize), BufferSize, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                await _hashing.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if (feeding)
                {
                    var flushed = await pipe!.Writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    feeding = !flushed.IsCompleted;
                }

                progress?.Invoke(_hashing.BytesHashed);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await (pipe?.Writer.CompleteAsync() ?? ValueTask.CompletedTask);
        }
    }

    /// <summary>What the reader learnt, or why it could not: null without a reader.</summary>
    public async Task<(DumpReading? Reading, string? Problem)> ReadingAsync()
    {
        if (_reading is null)
        {
            return (null, null);
        }

        try
        {
            return (await _reading, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, e is InvalidDataException ? e.Message : $"the reader failed: {e.Message}");
        }
    }

    private async Task<DumpReading> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        await using var stream = input.AsStream();
        try
        {
            return await reader!.ReadAsync(stream, cancellationToken);
        }
        finally
        {
            // Whatever the reader left unread (it stopped at damage) must not hold the writer up.
            await input.CompleteAsync();
        }
    }
}

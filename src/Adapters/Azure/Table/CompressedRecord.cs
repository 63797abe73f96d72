using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using global::Azure.Data.Tables;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// A JSON document kept in an entity as gzip in up to 15 binary properties of 64 KiB
/// (<c>Record0</c>… as <c>Edm.Binary</c>, with <c>RecordChunks</c> as <c>Edm.Int32</c>): an entity
/// holds at most 1 MiB. The shape is the stored format: history written before stays readable.
/// </summary>
internal static class CompressedRecord
{
    private const int ChunkSize = 64 * 1024;
    private const int MaxChunks = 15;

    public static void Write<T>(TableEntity entity, T value, JsonTypeInfo<T> typeInfo, string what)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, value, typeInfo);
        }

        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var chunks = (body.Length + ChunkSize - 1) / ChunkSize;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"{what} is {body.Length / 1024} KiB compressed; a table entity holds at most {MaxChunks * ChunkSize / 1024} KiB");
        }

        entity["RecordChunks"] = chunks;
        for (var i = 0; i < chunks; i++)
        {
            entity["Record" + i] = body.Slice(i * ChunkSize, Math.Min(ChunkSize, body.Length - i * ChunkSize)).ToArray();
        }
    }

    public static T Read<T>(TableEntity entity, JsonTypeInfo<T> typeInfo, string where, string what)
    {
        var chunks = entity.GetInt32("RecordChunks") ?? 0;
        using var body = new MemoryStream();
        for (var i = 0; i < chunks; i++)
        {
            var chunk = entity.GetBinary("Record" + i) ?? throw new InvalidDataException($"{where}: {what} chunk {i} of {chunks} is missing");
            body.Write(chunk);
        }

        body.Position = 0;
        try
        {
            using var gzip = new GZipStream(body, CompressionMode.Decompress);
            return JsonSerializer.Deserialize(gzip, typeInfo) ?? throw new InvalidDataException($"{where}: empty {what}");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException && !e.Message.Contains(where, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{where}: unreadable {what} ({e.Message})", e);
        }
    }
}

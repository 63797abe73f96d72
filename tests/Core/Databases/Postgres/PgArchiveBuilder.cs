using System.IO.Compression;
using System.Text;

namespace Strata.Core.Tests.Databases.Postgres;

/// <summary>
/// Writes custom-format archives from the format's description (pg_dump's WriteHead, WriteToc and the
/// custom format's data blocks), for the archive versions and shapes the machine's pg_dump 15 does not
/// write: 1.15 (compression algorithm byte), 1.16 (relkind), LZ4-flagged data, 8-byte integers, an empty
/// table of contents.
/// </summary>
public sealed class PgArchiveBuilder(int minor = 14, int intSize = 4, int algorithm = 0)
{
    private readonly List<Entry> _entries = [];
    private readonly List<Action<BinaryWriter>> _blocks = [];
    private int _nextId = 1;

    /// <summary>The zlib level written into archives before 1.15 (0: none).</summary>
    public int Level { get; init; } = algorithm == 1 ? -1 : 0;

    public PgArchiveBuilder Schema(string name) => Add(name, "SCHEMA", "", null, hasData: false);

    public PgArchiveBuilder Table(string schema, string name) => Add(name, "TABLE", schema, null, hasData: false);

    /// <summary>A TABLE DATA entry and its block: <paramref name="rows"/> COPY lines, written in chunks of <paramref name="chunk"/> bytes.</summary>
    public PgArchiveBuilder TableData(string schema, string name, IReadOnlyList<string> rows, int chunk = 7)
    {
        var id = _nextId;
        Add(name, "TABLE DATA", schema, $"COPY {schema}.{name} FROM stdin;\n", hasData: true);
        var text = string.Concat(rows.Select(r => r + "\n")) + "\\.\n\n\n";
        _blocks.Add(w =>
        {
            w.Write((byte)1);
            WriteInt(w, id);
            WritePayload(w, Encoding.UTF8.GetBytes(text), chunk);
        });
        return this;
    }

    /// <summary>A BLOBS entry and its block with one large object per content.</summary>
    public PgArchiveBuilder LargeObjects(params string[] contents)
    {
        var id = _nextId;
        Add("BLOBS", "BLOBS", "", null, hasData: true);
        _blocks.Add(w =>
        {
            w.Write((byte)3);
            WriteInt(w, id);
            for (var i = 0; i < contents.Length; i++)
            {
                WriteInt(w, 16384 + i);
                WritePayload(w, Encoding.UTF8.GetBytes(contents[i]), 5);
            }

            WriteInt(w, 0);
        });
        return this;
    }

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("PGDMP"u8);
            w.Write([(byte)1, (byte)minor, (byte)0, (byte)intSize, (byte)8, (byte)1]);
            if (minor >= 15)
            {
                w.Write((byte)algorithm);
            }
            else
            {
                WriteInt(w, Level);
            }

            foreach (var part in new[] { 5, 4, 3, 30, 10, 126, 0 })
            {
                WriteInt(w, part);
            }

            WriteString(w, "shop");
            WriteString(w, "17.2");
            WriteString(w, "17.2");
            WriteInt(w, _entries.Count);
            foreach (var e in _entries)
            {
                WriteEntry(w, e);
            }

            foreach (var block in _blocks)
            {
                block(w);
            }
        }

        return stream.ToArray();
    }

    private PgArchiveBuilder Add(string tag, string description, string schema, string? copy, bool hasData)
    {
        _entries.Add(new Entry(_nextId++, tag, description, schema, copy, hasData));
        return this;
    }

    private void WriteEntry(BinaryWriter w, Entry e)
    {
        WriteInt(w, e.Id);
        WriteInt(w, e.HasData ? 1 : 0);
        WriteString(w, "0");
        WriteString(w, "16384");
        WriteString(w, e.Tag);
        WriteString(w, e.Description);
        WriteInt(w, e.Description is "TABLE DATA" or "BLOBS" ? 3 : 2);
        WriteString(w, e.HasData ? "" : $"CREATE {e.Description} {e.Tag};\n");
        WriteString(w, "");
        WriteString(w, e.Copy);
        WriteString(w, e.Schema);
        WriteString(w, "");
        if (minor >= 14)
        {
            WriteString(w, e.Description == "TABLE" ? "heap" : null);
        }

        if (minor >= 16)
        {
            WriteInt(w, e.Description == "TABLE" ? 'r' : 0);
        }

        WriteString(w, "postgres");
        WriteString(w, "false");
        if (e.Id > 1)
        {
            WriteString(w, "1");
        }

        WriteString(w, null);
        w.Write((byte)(e.HasData ? 1 : 3));
        w.Write(new byte[8]);
    }

    private void WritePayload(BinaryWriter w, byte[] data, int chunk)
    {
        if (algorithm == 1 || (minor < 15 && Level != 0))
        {
            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(data);
            }

            data = compressed.ToArray();
        }

        for (var at = 0; at < data.Length; at += chunk)
        {
            var n = Math.Min(chunk, data.Length - at);
            WriteInt(w, n);
            w.Write(data, at, n);
        }

        WriteInt(w, 0);
    }

    private void WriteInt(BinaryWriter w, long value)
    {
        w.Write((byte)(value < 0 ? 1 : 0));
        var magnitude = (ulong)Math.Abs(value);
        for (var i = 0; i < intSize; i++)
        {
            w.Write((byte)(magnitude >> (8 * i)));
        }
    }

    private void WriteString(BinaryWriter w, string? value)
    {
        if (value is null)
        {
            WriteInt(w, -1);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt(w, bytes.Length);
        w.Write(bytes);
    }

    private sealed record Entry(int Id, string Tag, string Description, string Schema, string? Copy, bool HasData);
}

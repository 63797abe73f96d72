using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Strata.Core.Tests.Artifacts;

/// <summary>Archives no Strata wrote: built with <see cref="TarWriter"/> where it will write them, byte by byte where it will not.</summary>
internal static class HostileArchives
{
    public const string Namespace = "resources/core/v1/namespaces/shop.json";
    public const string ConfigMap = "resources/core/v1/configmaps/namespaces/shop/settings.json";

    public static byte[] Document(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return path.Contains("/configmaps/", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"shop"},"data":{"a":"b"}}""")
            : Encoding.UTF8.GetBytes($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}""");
    }

    /// <summary>A tar.gz of the namespace <c>shop</c> followed by what <paramref name="write"/> adds.</summary>
    public static byte[] Build(Action<TarWriter> write, TarEntryFormat format = TarEntryFormat.Gnu, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level, leaveOpen: true))
        using (var tar = new TarWriter(gzip, format))
        {
            File(tar, Namespace, Document(Namespace));
            write(tar);
        }

        return buffer.ToArray();
    }

    /// <summary>A tar.gz of the namespace, then <paramref name="raw"/> tar bytes as they are, then the end marker.</summary>
    public static byte[] BuildRaw(byte[] raw)
    {
        using var tarBytes = new MemoryStream();
        using (var tar = new TarWriter(tarBytes, TarEntryFormat.Gnu, leaveOpen: true))
        {
            File(tar, Namespace, Document(Namespace));
        }

        // TarWriter ended the archive with two zero blocks; the raw records go before them.
        var written = tarBytes.ToArray().AsSpan(0, (int)tarBytes.Length - 1024).ToArray();
        return Gzip([.. written, .. raw, .. new byte[1024]]);
    }

    public static byte[] Gzip(byte[] tar)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return buffer.ToArray();
    }

    public static void File(TarWriter tar, string path, byte[] content) =>
        tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });

    /// <summary>One ustar header block (with its checksum) for a name given as bytes and a size that need not be true.</summary>
    public static byte[] Header(byte[] name, char type, long size, string linkName = "")
    {
        var header = new byte[512];
        name.AsSpan(0, Math.Min(100, name.Length)).CopyTo(header);
        Ascii("0000644", 100);
        Ascii("0000000", 108);
        Ascii("0000000", 116);
        Ascii(Convert.ToString(size, 8).PadLeft(11, '0'), 124);
        Ascii("00000000000", 136);
        header[156] = (byte)type;
        Ascii(linkName, 157);
        Ascii("ustar", 257);
        Ascii("00", 263);
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => b);
        Ascii(Convert.ToString(sum, 8).PadLeft(6, '0'), 148);
        header[154] = 0;
        return header;

        void Ascii(string text, int at) => Encoding.ASCII.GetBytes(text).CopyTo(header, at);
    }

    /// <summary>A raw regular-file record: header, content, padding.</summary>
    public static byte[] RawFile(byte[] name, byte[] content)
    {
        var padded = new byte[(content.Length + 511) / 512 * 512];
        content.CopyTo(padded, 0);
        return [.. Header(name, '0', content.Length), .. padded];
    }

    /// <summary>A JSON array nested <paramref name="depth"/> deep.</summary>
    public static byte[] Nested(int depth) => Encoding.ASCII.GetBytes(new string('[', depth) + new string(']', depth));
}

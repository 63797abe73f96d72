using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Strata.TestKit;

/// <summary>Reads a <c>resources.tar.gz</c> back: path → document.</summary>
public static class ArchiveReader
{
    public static Dictionary<string, JsonObject> Read(string path)
    {
        using var file = System.IO.File.OpenRead(path);
        return Read(file);
    }

    public static Dictionary<string, JsonObject> Read(Stream stream)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is { } data)
            {
                result[entry.Name] = JsonNode.Parse(data)!.AsObject();
            }
        }

        return result;
    }
}

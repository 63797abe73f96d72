using System.Globalization;
using System.Xml;

namespace Strata.Adapters.Azure.Blob;

/// <summary>One page of a List Blobs answer: names with sizes, and the marker of the next page.</summary>
internal sealed record BlobPage(IReadOnlyList<(string Name, long Length)> Blobs, string? NextMarker)
{
    /// <summary>Reads the <c>EnumerationResults</c> document as it streams in.</summary>
    public static BlobPage Read(Stream body)
    {
        var blobs = new List<(string, long)>();
        string? next = null;
        using var xml = XmlReader.Create(body, new XmlReaderSettings { IgnoreWhitespace = true, DtdProcessing = DtdProcessing.Prohibit });
        string? name = null;
        long length = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.Name == "Blob" && xml.Depth == 2)
            {
                blobs.Add((name ?? throw new InvalidDataException("List Blobs: a Blob without a Name"), length));
                (name, length) = (null, 0);
                continue;
            }

            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (xml.Name)
            {
                case "Name" when xml.Depth == 3:
                    name = xml.ReadElementContentAsString();
                    break;
                case "Content-Length" when xml.Depth == 4:
                    length = long.Parse(xml.ReadElementContentAsString(), CultureInfo.InvariantCulture);
                    break;
                case "NextMarker" when xml.Depth == 1:
                    next = xml.ReadElementContentAsString();
                    break;
            }
        }

        return new BlobPage(blobs, string.IsNullOrEmpty(next) ? null : next);
    }
}

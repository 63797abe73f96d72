using System.Globalization;
using System.Xml.Linq;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// The geo-replication state of the account, from the secondary's service stats: <c>live</c>,
/// <c>bootstrap</c> or <c>unavailable</c>, and the time up to which every primary write is
/// readable on the secondary (null when unknown).
/// </summary>
public sealed record GeoReplication(string Status, DateTimeOffset? LastSyncTime)
{
    internal static GeoReplication Read(Stream body)
    {
        var geo = XDocument.Load(body).Root?.Element("GeoReplication")
            ?? throw new InvalidDataException("Get Blob Service Stats: no GeoReplication element");
        DateTimeOffset? lastSync = geo.Element("LastSyncTime")?.Value is { Length: > 0 } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : null;
        return new GeoReplication(geo.Element("Status")?.Value ?? "unknown", lastSync);
    }
}

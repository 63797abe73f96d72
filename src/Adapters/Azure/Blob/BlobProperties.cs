using System.Globalization;
using global::Azure;

namespace Strata.Adapters.Azure.Blob;

/// <summary>What Get Blob Properties says about a blob that Strata cares about.</summary>
internal sealed record BlobProperties(long Length, string ETag, string? Sha256, DateTimeOffset? RetainUntil, ImmutabilityMode? Mode, bool LegalHold)
{
    /// <summary>Whether the blob may not be deleted at <paramref name="asOf"/>.</summary>
    public bool IsLocked(DateTimeOffset asOf) => LegalHold || RetainUntil > asOf;

    public static BlobProperties From(Response response)
    {
        string? Header(string name) => response.Headers.TryGetValue(name, out var value) ? value : null;
        DateTimeOffset? until = Header("x-ms-immutability-policy-until-date") is { Length: > 0 } date
            && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : null;
        return new BlobProperties(
            response.Headers.ContentLength ?? 0,
            (response.Headers.TryGetValue("ETag", out var etag) ? etag : ""),
            Header("x-ms-meta-" + BlobCommit.Sha256Metadata),
            until,
            ImmutabilityModeHeader.Parse(Header("x-ms-immutability-policy-mode")),
            string.Equals(Header("x-ms-legal-hold"), "true", StringComparison.OrdinalIgnoreCase));
    }
}

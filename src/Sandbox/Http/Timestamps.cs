using System.Globalization;

namespace Strata.Sandbox.Http;

/// <summary>Times in the form the API server writes them (RFC 3339, seconds, UTC).</summary>
internal static class Timestamps
{
    public static string Now(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

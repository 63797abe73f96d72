using System.Text.RegularExpressions;

namespace Strata.Core.Telemetry;

/// <summary>
/// Free text from the work (an exception's message, an alert's summary, a survey's reason) with every URL replaced by
/// <c>[address]</c>: an API server's or a channel's address says nothing a reader needs and may carry a token in its query.
/// What leaves the process for people — the status page, a span's status — goes through it.
/// </summary>
public static partial class AddressRedaction
{
    /// <summary>What stands in for a URL.</summary>
    public const string Placeholder = "[address]";

    /// <summary><paramref name="text"/> with each URL (<c>scheme://…</c> up to the next space) replaced by <see cref="Placeholder"/>; "" for null.</summary>
    public static string Redact(string? text) => Url().Replace(text ?? "", Placeholder);

    [GeneratedRegex(@"[a-z][a-z0-9+.-]*://\S+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}

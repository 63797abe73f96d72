using System.Text.RegularExpressions;

namespace Strata.Core.Telemetry;

/// <summary>
/// Free text from the work (an exception's message, an alert's summary, a survey's reason) with every network address
/// replaced by <c>[address]</c>: an API server's or a channel's address says nothing a reader needs and may carry a token in
/// its query. What leaves the process for people — the status page, a span's status — goes through it.
/// </summary>
public static partial class AddressRedaction
{
    /// <summary>What stands in for an address.</summary>
    public const string Placeholder = "[address]";

    /// <summary>
    /// <paramref name="text"/> with each address replaced by <see cref="Placeholder"/>; "" for null. An address is a URL
    /// (<c>scheme://…</c>, up to a space, a quote, <c>&lt;</c>, <c>&gt;</c>, <c>)</c> or <c>]</c>, without the sentence's
    /// closing punctuation), a host name with a port (<c>aks-x.hcp.westeurope.azmk8s.io:443</c>, <c>localhost:6443</c> —
    /// what .NET's socket errors end with), an IPv4 address with or without a port, or a bracketed IPv6 one. A dotted name
    /// without a port (<c>deployments.apps</c>), a version (<c>v1.2.3</c>), a time (<c>05:00</c>) or an object path
    /// (<c>shop/postgres-0</c>) is not an address and stays.
    /// </summary>
    public static string Redact(string? text) => Address().Replace(text ?? "", Placeholder);

    // In order: a URL (an IPv6 host in brackets first, since ] otherwise ends it; then the rest, never ending on . , ; : ! ?);
    // a bracketed IPv6 address (with :: or at least three colons, so that [12:30:45] stays), port optional; an IPv4 address,
    // port optional, not part of a longer dotted number; a dotted host name or localhost, with a port and optional path.
    [GeneratedRegex(
        """
        [a-z][a-z0-9+.-]*://(?:[^\s"'<>()\[\]]*\[[0-9a-f:.%]+\])?(?:[^\s"'<>)\]]*[^\s"'<>)\].,;:!?])?
        | \[(?=[0-9a-f.]*::|(?:[0-9a-f.]*:){3})[0-9a-f:.]+(?:%[\w.-]+)?\](?::\d{1,5})?
        | (?<![\w.:-])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?::\d{1,5})?(?!\w|\.\w|:\d)
        | (?<![\w.:/-])(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z](?:[a-z0-9-]*[a-z0-9])?|localhost):\d{1,5}(?!\w|\.\w|:\d)
          (?:/(?:[^\s"'<>)\]]*[^\s"'<>)\].,;:!?])?)?
        """,
        RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}

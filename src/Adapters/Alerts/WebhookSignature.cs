using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Adapters.Alerts;

/// <summary>
/// The signature of the generic webhook, in <c>X-Strata-Signature: t=UNIXSECONDS,v1=HEX</c>: <c>v1</c> is
/// HMAC-SHA256 keyed with the channel's secret over <c>t + "." + body</c> (the body's exact bytes, UTF-8), in lower-case hex.
/// A receiver recomputes it, compares in constant time, and refuses a <c>t</c> further than <see cref="ReplayWindow"/> from its
/// own clock, so a captured delivery cannot be replayed later. Each attempt is signed afresh (a retry carries a new <c>t</c>).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header's name.</summary>
    public const string Header = "X-Strata-Signature";

    /// <summary>How far <c>t</c> may be from the receiver's clock, either way: 5 minutes.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>The header's value for <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Hmac(secret, t, body)}";
    }

    /// <summary>
    /// Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> within <paramref name="window"/>
    /// (default <see cref="ReplayWindow"/>) of <paramref name="now"/>; <paramref name="reason"/> says why not.
    /// </summary>
    public static bool Verify(string? header, string secret, string body, DateTimeOffset now, out string? reason, TimeSpan? window = null)
    {
        string? t = null;
        var signatures = new List<string>();
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                t = part[2..];
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                signatures.Add(part[3..]);
            }
        }

        if (t is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signatures.Count == 0)
        {
            reason = $"malformed {Header} (expected t=UNIXSECONDS,v1=HEX)";
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (window ?? ReplayWindow).TotalSeconds)
        {
            reason = "timestamp outside the replay window";
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Hmac(secret, t, body));
        if (!signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected)))
        {
            reason = "signature does not match";
            return false;
        }

        reason = null;
        return true;
    }

    private static string Hmac(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)));
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Adapters.Azure;

/// <summary>
/// An account name and key, and the two ways Azure Storage signs requests with them: the Blob
/// service's string-to-sign (every standard header, then the <c>x-ms-</c> headers, then the
/// resource with every query parameter) and the Table service's shorter one (verb, Content-MD5,
/// Content-Type, date, resource with <c>comp</c> only). See "Authorize with Shared Key" in the
/// Azure Storage REST reference.
/// </summary>
public sealed class StorageSharedKey(string account, byte[] key)
{
    /// <summary>The account name.</summary>
    public string Account { get; } = account;

    /// <summary>The <c>Authorization</c> header value for <paramref name="stringToSign"/>.</summary>
    public string Authorization(string stringToSign)
    {
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign));
        return $"SharedKey {Account}:{Convert.ToBase64String(signature)}";
    }

    /// <summary>The Blob (and Queue, File) service string-to-sign, version 2009-09-19 and later.</summary>
    /// <param name="method">The HTTP verb, upper case.</param>
    /// <param name="uri">The request URI.</param>
    /// <param name="header">A header's value by name (case-insensitive), or null.</param>
    /// <param name="headerNames">Every header name on the request.</param>
    /// <param name="contentLength">The body length; zero is signed as empty.</param>
    public string BlobStringToSign(string method, Uri uri, Func<string, string?> header, IEnumerable<string> headerNames, long contentLength)
    {
        var text = new StringBuilder(256);
        text.Append(method).Append('\n')
            .Append(header("Content-Encoding")).Append('\n')
            .Append(header("Content-Language")).Append('\n')
            .Append(contentLength > 0 ? contentLength.ToString(CultureInfo.InvariantCulture) : "").Append('\n')
            .Append(header("Content-MD5")).Append('\n')
            .Append(header("Content-Type")).Append('\n')
            .Append(header("x-ms-date") is null ? header("Date") : "").Append('\n')
            .Append(header("If-Modified-Since")).Append('\n')
            .Append(header("If-Match")).Append('\n')
            .Append(header("If-None-Match")).Append('\n')
            .Append(header("If-Unmodified-Since")).Append('\n')
            .Append(header("Range")).Append('\n');
        foreach (var name in headerNames
                     .Where(n => n.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(n => n.ToLowerInvariant())
                     .Distinct()
                     .Order(StringComparer.Ordinal))
        {
            text.Append(name).Append(':').Append(CanonicalValue(header(name) ?? "")).Append('\n');
        }

        text.Append('/').Append(Account).Append(ResourcePath(uri));
        var parameters = Query(uri)
            .GroupBy(p => p.Name.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            text.Append('\n').Append(parameter.Key).Append(':')
                .AppendJoin(',', parameter.Select(p => p.Value).Order(StringComparer.Ordinal));
        }

        return text.ToString();
    }

    /// <summary>The Table service string-to-sign (Shared Key, not Lite).</summary>
    public string TableStringToSign(string method, Uri uri, Func<string, string?> header)
    {
        var resource = new StringBuilder().Append('/').Append(Account).Append(ResourcePath(uri));
        if (Query(uri).FirstOrDefault(p => p.Name.Equals("comp", StringComparison.OrdinalIgnoreCase)) is { Name: not null } comp)
        {
            resource.Append("?comp=").Append(comp.Value);
        }

        return string.Join('\n',
            method,
            header("Content-MD5") ?? "",
            header("Content-Type") ?? "",
            header("x-ms-date") ?? header("Date") ?? "",
            resource.ToString());
    }

    /// <summary>
    /// The URI path as signed: percent-encoded as sent. A read-access secondary endpoint
    /// (<c>account-secondary.blob…</c>) is signed as the primary account, as the service expects.
    /// </summary>
    private static string ResourcePath(Uri uri) => uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;

    private static IEnumerable<(string Name, string Value)> Query(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            yield break;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            yield return (name, value);
        }
    }

    /// <summary>Trims a header value and folds runs of whitespace to one space (outside quotes).</summary>
    private static string CanonicalValue(string value)
    {
        var text = new StringBuilder(value.Length);
        var quoted = false;
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (!quoted && c is ' ' or '\t' or '\r' or '\n')
            {
                space = true;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return text.ToString();
    }
}

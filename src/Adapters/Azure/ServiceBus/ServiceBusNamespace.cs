namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>Where a Service Bus namespace is, from what people write.</summary>
public static class ServiceBusNamespace
{
    /// <summary>The Azure public cloud's namespace suffix.</summary>
    public const string DefaultSuffix = ".servicebus.windows.net";

    /// <summary>
    /// The fully qualified namespace (a host name, what <c>ServiceBusClient</c> takes) from <c>NAME</c>
    /// (the public cloud), <c>NAME.servicebus.windows.net</c> (or another cloud's host name), or an
    /// <c>https://</c> or <c>sb://</c> URL. A connection string is refused without being echoed: Strata
    /// signs in with Entra ID, and a shared access key should not travel on a command line.
    /// </summary>
    public static string Parse(string text, string source)
    {
        text = text.Trim();
        if (text.Contains("SharedAccessKey", StringComparison.OrdinalIgnoreCase) || text.StartsWith("Endpoint=", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{source}: a connection string is not accepted; give the namespace (NAME or NAME{DefaultSuffix}) and sign in with Entra ID");
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "sb") || uri.AbsolutePath.Trim('/').Length > 0 || uri.Query.Length > 0)
            {
                throw new FormatException($"{source}: '{text}' is not https://NAME{DefaultSuffix}");
            }

            text = uri.Host;
        }

        var host = text.Contains('.', StringComparison.Ordinal) ? text : text + DefaultSuffix;
        var name = host.Split('.')[0];

        // Namespace names: 6-50 letters, digits and hyphens, starting with a letter, not ending with a hyphen.
        if (name.Length is < 6 or > 50 || !char.IsAsciiLetter(name[0]) || name[^1] == '-' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            || Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            throw new FormatException($"{source}: '{text}' is not a Service Bus namespace (6-50 letters, digits and hyphens, starting with a letter)");
        }

        return host.ToLowerInvariant();
    }
}

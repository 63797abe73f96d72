namespace Strata.Core.Kubernetes;

/// <summary>The API server's rules for object names (<c>metadata.name</c>), checked before a request is made.</summary>
public static class KubernetesNames
{
    /// <summary>The longest DNS-1123 subdomain: most objects' names.</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>
    /// Whether <paramref name="name"/> is a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.',
    /// starting and ending with a letter or digit, each dot-separated part non-empty.
    /// </summary>
    public static bool IsSubdomain(string name) =>
        name.Length is > 0 and <= MaxSubdomainLength
        && name.Split('.').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && part[0] != '-' && part[^1] != '-');
}

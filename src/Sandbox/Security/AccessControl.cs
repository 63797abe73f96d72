using System.Collections.Concurrent;

namespace Strata.Sandbox.Security;

/// <summary>An authenticated caller.</summary>
public sealed record SandboxUser(string Name, IReadOnlyList<string> Groups);

/// <summary>
/// Who may do what. Everyone authenticated may do everything, except what a denial rule forbids
/// (that is how tests make a resource forbidden to the backup identity).
/// </summary>
public sealed class AccessControl
{
    private readonly ConcurrentDictionary<string, SandboxUser> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Denial> _denials = new();

    /// <summary>Issues a bearer token for <paramref name="user"/>.</summary>
    public string IssueToken(string user, params string[] groups)
    {
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        _tokens[token] = new SandboxUser(user, groups);
        return token;
    }

    /// <summary>Accepts <paramref name="token"/> as <paramref name="user"/> (a token an exec plugin will hand out).</summary>
    public void AcceptToken(string token, string user, params string[] groups) => _tokens[token] = new SandboxUser(user, groups);

    public void RevokeToken(string token) => _tokens.TryRemove(token, out _);

    public SandboxUser? Authenticate(string token) => _tokens.GetValueOrDefault(token);

    /// <summary>Forbids <paramref name="verb"/> ("*" for all) on a resource, for one user or everyone, in one namespace or all.</summary>
    public void Deny(string verb, string group, string resource, string? ns = null, string? user = null) =>
        _denials.Enqueue(new Denial(verb, group, resource, ns, user));

    public void ClearDenials() => _denials.Clear();

    public bool IsAllowed(SandboxUser user, string verb, string group, string resource, string? ns) =>
        !_denials.Any(d =>
            (d.Verb == "*" || d.Verb == verb) && d.Group == group && d.Resource == resource
            && (d.Namespace is null || d.Namespace == ns) && (d.User is null || d.User == user.Name));

    private sealed record Denial(string Verb, string Group, string Resource, string? Namespace, string? User);
}

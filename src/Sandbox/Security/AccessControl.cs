using System.Collections.Concurrent;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Security;

/// <summary>An authenticated caller.</summary>
public sealed record SandboxUser(string Name, IReadOnlyList<string> Groups);

/// <summary>
/// Who may do what. With <see cref="AuthorizationMode.AlwaysAllow"/> (the default) everyone authenticated may do
/// everything; with <see cref="AuthorizationMode.Rbac"/> the RBAC objects the sandbox stores decide. Either way a
/// denial rule (<see cref="Deny"/>) forbids what it names: that is how tests make one resource forbidden.
/// </summary>
public sealed class AccessControl
{
    /// <summary>The group every authenticated user is in.</summary>
    public const string Authenticated = "system:authenticated";

    /// <summary>The group that may do everything, whatever RBAC says.</summary>
    public const string Masters = "system:masters";

    private readonly ConcurrentDictionary<string, SandboxUser> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Denial> _denials = new();
    private readonly ConcurrentQueue<AccessDecision> _decisions = new();
    private readonly RbacAuthorizer? _rbac;

    /// <summary>Access control for a sandbox whose objects are in <paramref name="store"/>.</summary>
    public AccessControl(AuthorizationMode mode, ObjectStore store)
    {
        Mode = mode;
        _rbac = mode == AuthorizationMode.Rbac ? new RbacAuthorizer(store) : null;
    }

    /// <summary>How requests are authorized.</summary>
    public AuthorizationMode Mode { get; }

    /// <summary>Whether <see cref="Decisions"/> records each decision (off by default).</summary>
    public bool RecordDecisions { get; set; }

    /// <summary>The decisions made while <see cref="RecordDecisions"/> was on, in order.</summary>
    public IReadOnlyList<AccessDecision> Decisions => [.. _decisions];

    /// <summary>The user name kube-apiserver gives a ServiceAccount's tokens.</summary>
    public static string ServiceAccountUser(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    /// <summary>Issues a bearer token for <paramref name="user"/>.</summary>
    public string IssueToken(string user, params string[] groups)
    {
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        _tokens[token] = new SandboxUser(user, groups);
        return token;
    }

    /// <summary>
    /// Issues a token for the ServiceAccount <paramref name="ns"/>/<paramref name="name"/>, as the TokenRequest API
    /// does: user <c>system:serviceaccount:{ns}:{name}</c>, groups <c>system:serviceaccounts</c> and
    /// <c>system:serviceaccounts:{ns}</c>.
    /// </summary>
    public string IssueServiceAccountToken(string ns, string name) =>
        IssueToken(ServiceAccountUser(ns, name), "system:serviceaccounts", $"system:serviceaccounts:{ns}");

    /// <summary>Accepts <paramref name="token"/> as <paramref name="user"/> (a token an exec plugin will hand out).</summary>
    public void AcceptToken(string token, string user, params string[] groups) => _tokens[token] = new SandboxUser(user, groups);

    public void RevokeToken(string token) => _tokens.TryRemove(token, out _);

    public SandboxUser? Authenticate(string token) => _tokens.GetValueOrDefault(token);

    /// <summary>Forbids <paramref name="verb"/> ("*" for all) on a resource, for one user or everyone, in one namespace or all.</summary>
    public void Deny(string verb, string group, string resource, string? ns = null, string? user = null) =>
        _denials.Enqueue(new Denial(verb, group, resource, ns, user));

    public void ClearDenials() => _denials.Clear();

    /// <summary>Null when <paramref name="user"/> may do what <paramref name="request"/> asks; otherwise the reason a denial gives (often empty).</summary>
    public string? Authorize(SandboxUser user, AccessRequest request)
    {
        var reason = Denied(user, request) ? string.Empty
            : _rbac is null || user.Groups.Contains(Masters) ? null
            : _rbac.Authorize(user, request);
        if (RecordDecisions)
        {
            _decisions.Enqueue(new AccessDecision(user.Name, request, reason is null, reason ?? string.Empty));
        }

        return reason;
    }

    public void ClearDecisions() => _decisions.Clear();

    private bool Denied(SandboxUser user, AccessRequest request) => request.IsResourceRequest && _denials.Any(d =>
        (d.Verb == "*" || d.Verb == request.Verb) && d.Group == request.Group
        && (d.Resource == request.CombinedResource || (d.Resource == request.Resource && request.Subresource != "exec"))
        && (d.Namespace is null || d.Namespace == request.Namespace) && (d.User is null || d.User == user.Name));

    private sealed record Denial(string Verb, string Group, string Resource, string? Namespace, string? User);
}

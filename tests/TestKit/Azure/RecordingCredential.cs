using Azure.Core;

namespace Strata.TestKit.Azure;

/// <summary>An Entra ID credential that hands out <paramref name="token"/> and records the scopes it was asked for.</summary>
public sealed class RecordingCredential(string token) : TokenCredential
{
    private readonly List<string> _scopes = [];

    /// <summary>Every scope asked for, in order.</summary>
    public IReadOnlyList<string> Scopes
    {
        get
        {
            lock (_scopes)
            {
                return [.. _scopes];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_scopes)
        {
            _scopes.AddRange(requestContext.Scopes);
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

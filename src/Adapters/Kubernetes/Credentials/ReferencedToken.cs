using Strata.Adapters.Secrets;
using Strata.Core.Configuration;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>
/// A token referenced in strata.yaml (environment variable or Key Vault secret): resolved again
/// when the server refused it — at most every <see cref="RereadInterval"/>, so a burst of 401s
/// makes one Key Vault call. A secret that cannot be read then leaves the refused token in place.
/// </summary>
internal sealed class ReferencedToken(SecretResolver secrets, SecretReference reference, string token, TimeProvider time) : ICredentialSource
{
    private static readonly TimeSpan RereadInterval = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _reading = new(1, 1);
    private Credential _current = new(token, null);
    private DateTimeOffset _readAt = time.GetUtcNow();

    public async ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        if (!refresh || time.GetUtcNow() - _readAt < RereadInterval)
        {
            return _current;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _readAt >= RereadInterval)
            {
                try
                {
                    _current = new Credential(await secrets.ResolveAsync(reference, cancellationToken), null);
                }
                catch (SecretUnavailableException)
                {
                    // Keep the token the server refused: the request fails as the 401 it is, and a later one tries again.
                }

                _readAt = time.GetUtcNow();
            }

            return _current;
        }
        finally
        {
            _reading.Release();
        }
    }
}

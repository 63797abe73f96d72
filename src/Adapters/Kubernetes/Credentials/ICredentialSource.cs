namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>
/// A credential that changes while the client runs (an exec plugin's, a token file's, a rotated
/// secret's): cached, and fetched anew when it expires or the server refuses it.
/// </summary>
public interface ICredentialSource
{
    /// <summary>The current credential; <paramref name="refresh"/> after a 401 forces a new one.</summary>
    ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default);
}

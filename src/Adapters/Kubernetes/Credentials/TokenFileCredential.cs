using System.Security.Cryptography.X509Certificates;
using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>
/// A token read from a file and re-read every minute: projected service-account tokens rotate
/// (kubelet refreshes them well before their one-hour expiry), as client-go's cached token file does.
/// </summary>
public sealed class TokenFileCredential(string path, string where, TimeProvider time) : ICredentialSource
{
    private static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(1);
    private Credential? _cached;
    private DateTimeOffset _readAt;

    /// <summary>A certificate to present alongside the token, if the kubeconfig gives one.</summary>
    public X509Certificate2? StaticCertificate { get; init; }

    /// <inheritdoc />
    public async ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!refresh && _cached is not null && now - _readAt < RereadAfter)
        {
            return _cached;
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"{where}: tokenFile {path} cannot be read ({e.Message})", e);
        }

        if (token.Length == 0)
        {
            throw new KubeconfigException($"{where}: tokenFile {path} is empty");
        }

        _cached = new Credential(token, StaticCertificate);
        _readAt = now;
        return _cached;
    }
}

using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>
/// A token read from a file and re-read every minute: projected service-account tokens rotate
/// (kubelet refreshes them well before their one-hour expiry), as client-go's cached token file does.
/// Also re-read at once when the server refuses the token, and a file that cannot be read is named
/// in the error — which the SDK's <c>TokenFileAuth</c> does neither of (see docs/kubernetes.md).
/// </summary>
public sealed class TokenFileCredential(string path, string where, TimeProvider time) : ICredentialSource
{
    private static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(1);
    private Credential? _cached;
    private DateTimeOffset _readAt;

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

        _cached = new Credential(token, null);
        _readAt = now;
        return _cached;
    }
}

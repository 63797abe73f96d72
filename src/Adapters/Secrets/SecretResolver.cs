using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Strata.Core.Configuration;

namespace Strata.Adapters.Secrets;

/// <summary>
/// Reads the value behind a <see cref="SecretReference"/>: an environment variable (app settings reach a
/// custom handler that way), a file, or an Azure Key Vault secret (<see cref="SecretClient"/>, signed in with
/// the app's Entra ID identity; one client per vault, kept). Messages name the reference, never the value.
/// </summary>
/// <param name="environment">Reads environment variables.</param>
/// <param name="credential">The Entra ID credential for Key Vault; null when none is available.</param>
/// <param name="vaults">Makes the client for a vault URI; default <see cref="SecretClient"/> with the SDK's retries (tests pass a double).</param>
public sealed class SecretResolver(Func<string, string?> environment, TokenCredential? credential = null, Func<Uri, TokenCredential, SecretClient>? vaults = null) : Core.Ports.ISecretValues
{
    private readonly ConcurrentDictionary<Uri, SecretClient> _clients = new();

    /// <summary>The secret's value; <see cref="SecretUnavailableException"/> says which reference could not be read and why.</summary>
    public async Task<string> ResolveAsync(SecretReference reference, CancellationToken cancellationToken = default)
    {
        switch (reference.Source)
        {
            case SecretSource.Environment:
                return environment(reference.Name) is { Length: > 0 } value
                    ? value
                    : throw new SecretUnavailableException(reference, "the environment variable is not set");
            case SecretSource.File:
                try
                {
                    return (await File.ReadAllTextAsync(reference.Name, cancellationToken)).Trim();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new SecretUnavailableException(reference, e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : "the file cannot be read");
                }

            default:
                return await ReadKeyVaultAsync(reference, cancellationToken);
        }
    }

    /// <summary><c>NAME</c> is a vault in the public cloud; a URL names any other.</summary>
    public static Uri VaultUri(string vault) =>
        new(vault.Contains("://", StringComparison.Ordinal) ? vault.TrimEnd('/') + "/" : $"https://{vault}.vault.azure.net/");

    private async Task<string> ReadKeyVaultAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        if (credential is null)
        {
            throw new SecretUnavailableException(reference, "no Entra ID credential is configured for Key Vault");
        }

        var client = _clients.GetOrAdd(VaultUri(reference.Vault!), uri => (vaults ?? Create)(uri, credential));
        try
        {
            var secret = await client.GetSecretAsync(reference.Name, version: null, cancellationToken);
            return secret.Value.Value ?? throw new SecretUnavailableException(reference, "Key Vault's answer has no value");
        }
        catch (RequestFailedException e)
        {
            throw new SecretUnavailableException(reference, $"Key Vault answered {e.Status}" + e.Status switch
            {
                401 or 403 => " (the identity may not read secrets in this vault: it needs the 'Key Vault Secrets User' role)",
                404 => " (no such secret)",
                _ => "",
            });
        }
        catch (AuthenticationFailedException)
        {
            throw new SecretUnavailableException(reference, "could not sign in to Entra ID for Key Vault");
        }
    }

    private static SecretClient Create(Uri vault, TokenCredential credential) => new(vault, credential, new SecretClientOptions
    {
        Retry = { Mode = RetryMode.Exponential, MaxRetries = 3 },
        Diagnostics = { IsLoggingContentEnabled = false },
    });
}

using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Strata.Core.Configuration;

namespace Strata.Adapters.Secrets;

/// <summary>
/// Reads the value behind a <see cref="SecretReference"/>: an environment variable (app settings
/// reach a custom handler that way), a file, or an Azure Key Vault secret (REST, Entra ID token for
/// <c>https://vault.azure.net/.default</c>). Messages name the reference, never the value.
/// </summary>
public sealed class SecretResolver(Func<string, string?> environment, TokenCredential? credential = null, HttpPipelineTransport? transport = null)
{
    private const string KeyVaultApiVersion = "7.4";
    private HttpPipeline? _keyVault;

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
                    throw new SecretUnavailableException(reference, e.GetType().Name == nameof(FileNotFoundException) ? "the file does not exist" : "the file cannot be read");
                }

            default:
                return await ReadKeyVaultAsync(reference, cancellationToken);
        }
    }

    private async Task<string> ReadKeyVaultAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        if (credential is null)
        {
            throw new SecretUnavailableException(reference, "no Entra ID credential is configured for Key Vault");
        }

        _keyVault ??= HttpPipelineBuilder.Build(new KeyVaultOptions(transport), new BearerTokenAuthenticationPolicy(credential, "https://vault.azure.net/.default"));
        var vault = reference.Vault!.Contains("://", StringComparison.Ordinal) ? reference.Vault.TrimEnd('/') : $"https://{reference.Vault}.vault.azure.net";
        using var message = _keyVault.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri($"{vault}/secrets/{Uri.EscapeDataString(reference.Name)}?api-version={KeyVaultApiVersion}"));
        await _keyVault.SendAsync(message, cancellationToken);
        var response = message.Response;
        if (response.Status != 200)
        {
            throw new SecretUnavailableException(reference, $"Key Vault answered {response.Status}" + (response.Status switch
            {
                401 or 403 => " (the identity may not read secrets in this vault)",
                404 => " (no such secret)",
                _ => "",
            }));
        }

        using var document = JsonDocument.Parse(response.Content.ToMemory());
        return document.RootElement.TryGetProperty("value", out var value) && value.GetString() is { } text
            ? text
            : throw new SecretUnavailableException(reference, "Key Vault's answer has no value");
    }

    private sealed class KeyVaultOptions : ClientOptions
    {
        public KeyVaultOptions(HttpPipelineTransport? transport)
        {
            if (transport is not null)
            {
                Transport = transport;
            }

            Retry.MaxRetries = 3;
            Diagnostics.IsLoggingContentEnabled = false;
        }
    }
}

/// <summary>A referenced secret could not be read; the message names the reference and the reason, never a value.</summary>
public sealed class SecretUnavailableException(SecretReference reference, string reason)
    : Exception($"secret {reference} cannot be read: {reason}")
{
    /// <summary>The reference.</summary>
    public SecretReference Reference { get; } = reference;
}

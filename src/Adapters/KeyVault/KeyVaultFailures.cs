using System.Text.Json;
using Azure;
using Azure.Identity;

namespace Strata.Adapters.KeyVault;

/// <summary>
/// Turns what went wrong into <see cref="KeyVaultRequestException"/>: a refusal says what the identity needs; no
/// answer says why; neither ever carries the request or response body.
/// </summary>
internal static class KeyVaultFailures
{
    private const int MaxServiceMessage = 200;

    /// <summary>The exception for a non-success answer, from its status and <c>{"error":{"code","message"}}</c>.</summary>
    public static KeyVaultRequestException Refused(string operation, KeyVaultKeyId key, int status, BinaryData content)
    {
        var (code, serviceMessage) = ReadError(content);
        var why = status switch
        {
            401 => "Key Vault did not accept the identity's token (is the identity in the vault's tenant, and may it sign in?)",
            403 => $"the identity may not {Verb(operation)} with this key: it needs the 'Key Vault Crypto User' role on the vault or the key (or the keys/{Permission(operation)} permission in the vault's access policy)",
            404 => "the vault has no such key, or no such version of it",
            408 => "Key Vault timed out",
            429 => "Key Vault is throttling requests",
            >= 500 => "Key Vault had a server error",
            _ => serviceMessage is null ? "the vault refused the request" : $"the vault refused the request: {serviceMessage}",
        };
        var text = $"Key Vault {operation} with key {key} failed: {status}" + (code is null ? "" : $" {code}") + $" ({why})";
        return new KeyVaultRequestException(text, operation, key.ToString(), status, code, KeyVaultRequestException.IsTransientStatus(status));
    }

    /// <summary>The exception for a request that got no answer (or no token), or null for a bug or a cancellation the caller asked for.</summary>
    public static KeyVaultRequestException? NoAnswer(Exception failure, string operation, KeyVaultKeyId key, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        switch (failure)
        {
            case AuthenticationFailedException:
                // CredentialUnavailableException too: no managed identity, no az login. The SDK's text can be long and names endpoints; the inner exception keeps it.
                return new KeyVaultRequestException(
                    $"Key Vault {operation} with key {key} failed: could not get a token for Key Vault from Entra ID ({failure.GetType().Name})",
                    operation, key.ToString(), 0, null, false, failure);
            case AggregateException { InnerExceptions.Count: > 0 } e:
                // Azure.Core's retry policy gave up without an answer: the last try says why.
                return Unreachable(operation, key, $"after {e.InnerExceptions.Count} tries: {Cause(e.InnerExceptions[^1])}", e);
            case RequestFailedException or HttpRequestException or IOException or TimeoutException or OperationCanceledException:
                return Unreachable(operation, key, Cause(failure), failure);
            default:
                return null;
        }
    }

    private static KeyVaultRequestException Unreachable(string operation, KeyVaultKeyId key, string detail, Exception inner) =>
        new($"Key Vault {operation} with key {key} failed: the vault could not be reached ({detail})", operation, key.ToString(), 0, null, true, inner);

    /// <summary>HttpClient's message names the host and port (<c>Connection refused (host:port)</c>).</summary>
    private static string Cause(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or TimeoutException)
            {
                return e.Message;
            }
        }

        return failure is OperationCanceledException ? "timed out" : failure.GetBaseException().Message;
    }

    private static (string? Code, string? Message) ReadError(BinaryData content)
    {
        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (Text(error, "code"), Text(error, "message") is { } message ? FirstLine(message) : null);
            }
        }
        catch (JsonException)
        {
            // An answer from something in front of the vault (a proxy's HTML page): the status says enough.
        }

        return (null, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= MaxServiceMessage ? line : line[..MaxServiceMessage] + "…";
    }

    private static string Verb(string operation) => operation switch
    {
        "wrapKey" => "wrap keys",
        "unwrapKey" => "unwrap keys",
        "sign" => "sign",
        _ => "read the key",
    };

    private static string Permission(string operation) => operation == "get" ? "get" : operation;
}

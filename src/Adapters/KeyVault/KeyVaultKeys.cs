using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Strata.Core.Configuration;

namespace Strata.Adapters.KeyVault;

/// <summary>
/// Key Vault's key operations over REST on Azure.Core's pipeline (retries, bearer tokens following the vault's
/// challenge): <c>wrapkey</c>, <c>unwrapkey</c>, <c>sign</c> (POST <c>{vault}/keys/{name}/{version}/{op}</c> with
/// <c>{"alg","value"}</c>, answered <c>{"kid","value"}</c>, values base64url) and get key (GET
/// <c>{vault}/keys/{name}/{version}</c>, answered <c>{"key":{JWK}}</c>). Private keys never leave the vault. A key
/// without a version uses its current one, and the answer's kid says which. Failures are
/// <see cref="KeyVaultRequestException"/>.
/// </summary>
public sealed class KeyVaultKeys
{
    /// <summary>The token scope for Key Vault in the public cloud (a challenge can name another).</summary>
    public const string Scope = "https://vault.azure.net/.default";

    private readonly HttpPipeline _pipeline;
    private readonly string _apiVersion;

    /// <summary>A client that signs in with <paramref name="credential"/>.</summary>
    public KeyVaultKeys(TokenCredential credential, KeyVaultKeysOptions? options = null)
    {
        options ??= new KeyVaultKeysOptions();
        _apiVersion = options.ApiVersion;
        _pipeline = HttpPipelineBuilder.Build(options, [], [new KeyVaultChallengePolicy(credential, !options.DisableChallengeResourceVerification)], new ResponseClassifier());
    }

    /// <summary>Wraps <paramref name="value"/> (a data key) with the configured key.</summary>
    public Task<KeyVaultKeyOperationResult> WrapKeyAsync(KeyVaultKeyReference key, string algorithm, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        WrapKeyAsync(KeyVaultKeyId.From(key), algorithm, value, cancellationToken);

    /// <summary>Wraps <paramref name="value"/> (a data key) with the key <paramref name="key"/> names.</summary>
    public Task<KeyVaultKeyOperationResult> WrapKeyAsync(KeyVaultKeyId key, string algorithm, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        OperateAsync("wrapKey", "wrapkey", key, algorithm, value, cancellationToken);

    /// <summary>Unwraps <paramref name="wrapped"/> with the configured key.</summary>
    public Task<KeyVaultKeyOperationResult> UnwrapKeyAsync(KeyVaultKeyReference key, string algorithm, ReadOnlyMemory<byte> wrapped, CancellationToken cancellationToken = default) =>
        UnwrapKeyAsync(KeyVaultKeyId.From(key), algorithm, wrapped, cancellationToken);

    /// <summary>Unwraps <paramref name="wrapped"/> with the key (and version) <paramref name="key"/> names.</summary>
    public Task<KeyVaultKeyOperationResult> UnwrapKeyAsync(KeyVaultKeyId key, string algorithm, ReadOnlyMemory<byte> wrapped, CancellationToken cancellationToken = default) =>
        OperateAsync("unwrapKey", "unwrapkey", key, algorithm, wrapped, cancellationToken);

    /// <summary>Signs <paramref name="digest"/> (already hashed: SHA-256 for ES256 and RS256) with the configured key.</summary>
    public Task<KeyVaultKeyOperationResult> SignAsync(KeyVaultKeyReference key, string algorithm, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default) =>
        SignAsync(KeyVaultKeyId.From(key), algorithm, digest, cancellationToken);

    /// <summary>Signs <paramref name="digest"/> (already hashed) with the key <paramref name="key"/> names.</summary>
    public Task<KeyVaultKeyOperationResult> SignAsync(KeyVaultKeyId key, string algorithm, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default) =>
        OperateAsync("sign", "sign", key, algorithm, digest, cancellationToken);

    /// <summary>The public part of the configured key (its pinned version, or the current one).</summary>
    public Task<KeyVaultPublicKey> GetKeyAsync(KeyVaultKeyReference key, CancellationToken cancellationToken = default) =>
        GetKeyAsync(KeyVaultKeyId.From(key), cancellationToken);

    /// <summary>The public part of the key (and version) <paramref name="key"/> names.</summary>
    public async Task<KeyVaultPublicKey> GetKeyAsync(KeyVaultKeyId key, CancellationToken cancellationToken = default)
    {
        using var answer = await SendAsync("get", key, RequestMethod.Get, key.OperationUri("", _apiVersion), null, cancellationToken);
        if (!answer.RootElement.TryGetProperty("key", out var jwk) || jwk.ValueKind != JsonValueKind.Object
            || Text(jwk, "kid") is not { } kid || Text(jwk, "kty") is not { } kty)
        {
            throw Malformed("get", key, "no key with kid and kty");
        }

        return new KeyVaultPublicKey(kid, kty)
        {
            Curve = Text(jwk, "crv"),
            N = Bytes(jwk, "n"),
            E = Bytes(jwk, "e"),
            X = Bytes(jwk, "x"),
            Y = Bytes(jwk, "y"),
        };
    }

    private async Task<KeyVaultKeyOperationResult> OperateAsync(string operation, string path, KeyVaultKeyId key, string algorithm, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var body = Body(algorithm, value.Span);
        try
        {
            using var answer = await SendAsync(operation, key, RequestMethod.Post, key.OperationUri(path, _apiVersion), body, cancellationToken);
            var root = answer.RootElement;
            return Bytes(root, "value") is { } result
                ? new KeyVaultKeyOperationResult(Text(root, "kid") ?? key.ToString(), result)
                : throw Malformed(operation, key, "no value");
        }
        finally
        {
            // The body holds a data key on wrapKey, and a wrapped one on unwrapKey: not left in memory longer than needed.
            CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <summary><c>{"alg": ALG, "value": base64url(value)}</c>, the base64url written without a string copy so it can be zeroed.</summary>
    private static byte[] Body(string algorithm, ReadOnlySpan<byte> value)
    {
        var chars = new char[Base64Url.GetEncodedLength(value.Length)];
        var buffer = new ArrayBufferWriter<byte>(chars.Length + algorithm.Length + 32);
        try
        {
            Base64Url.EncodeToChars(value, chars);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("alg", algorithm);
                writer.WriteString("value", chars);
                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars.AsSpan()));
            buffer.Clear();
        }
    }

    private async Task<JsonDocument> SendAsync(string operation, KeyVaultKeyId key, RequestMethod method, Uri uri, byte[]? body, CancellationToken cancellationToken)
    {
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core refuses too, with an exception that names neither the key nor the fix.
            throw new KeyVaultRequestException(
                $"Key Vault {operation} with key {key} failed: the vault URL is not HTTPS, and tokens are only sent over TLS", operation, key.ToString(), 0, null, false);
        }

        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        if (body is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
            request.Content = RequestContent.Create(body);
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (KeyVaultFailures.NoAnswer(e, operation, key, cancellationToken) is { } failure)
        {
            throw failure;
        }

        var response = message.Response;
        if (response.Status is < 200 or >= 300)
        {
            throw KeyVaultFailures.Refused(operation, key, response.Status, response.Content);
        }

        try
        {
            return JsonDocument.Parse(response.Content.ToMemory());
        }
        catch (JsonException)
        {
            throw Malformed(operation, key, "not JSON");
        }
    }

    private static KeyVaultRequestException Malformed(string operation, KeyVaultKeyId key, string what) =>
        new($"Key Vault {operation} with key {key} answered something unexpected ({what})", operation, key.ToString(), 200, null, false);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(JsonElement element, string name)
    {
        if (Text(element, name) is not { } text)
        {
            return null;
        }

        // The vault writes base64url without padding; padding is accepted too.
        var trimmed = text.AsSpan().TrimEnd('=');
        return Base64Url.IsValid(trimmed) ? Base64Url.DecodeFromChars(trimmed) : null;
    }
}

using System.Security.Cryptography;
using Strata.Core.Encryption;

namespace Strata.Adapters.Encryption;

/// <summary>
/// A local RSA key in a PEM file: wraps data keys with RSA-OAEP-256 (SHA-256, MGF1-SHA-256), the same wrapping Key
/// Vault's <c>unwrapKey</c> undoes. A public key only wraps (its private half is kept offline, for break-glass
/// restores); a private key wraps and unwraps. Key id: <c>local:rsa:</c> + the first 16 hex digits of SHA-256 of
/// the DER SubjectPublicKeyInfo.
/// </summary>
public sealed class LocalRsaKeyEncryptionKey : IKeyEncryptionKey
{
    private const string KeyIdPrefix = "local:rsa:";

    private readonly RSA _rsa;

    private LocalRsaKeyEncryptionKey(string name, RSA rsa, bool hasPrivateKey)
    {
        Name = name;
        _rsa = rsa;
        CanUnwrap = hasPrivateKey;
        KeyId = KeyIdPrefix + Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The id recorded with each wrapping (a fingerprint of the public key).</summary>
    public string KeyId { get; }

    /// <inheritdoc />
    public bool CanWrap => true;

    /// <inheritdoc />
    public bool CanUnwrap { get; }

    /// <summary>Reads and parses the PEM file at <paramref name="path"/> now.</summary>
    /// <exception cref="KeyUnwrapException">The file cannot be read, or holds no RSA key in PEM form (names the file).</exception>
    public static LocalRsaKeyEncryptionKey FromPemFile(string name, string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyUnwrapException($"key '{name}': cannot read '{path}' ({(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : "not readable")})");
        }

        return FromPem(name, pem, path);
    }

    /// <summary>Parses <paramref name="pem"/>, read from <paramref name="source"/> (named in errors).</summary>
    /// <exception cref="KeyUnwrapException">No RSA key in PEM form, or an encrypted private key (names the source).</exception>
    public static LocalRsaKeyEncryptionKey FromPem(string name, string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var rsa = RSA.Create();
        try
        {
            if (pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            {
                throw new KeyUnwrapException($"key '{name}': '{source}' holds a password-protected private key; Strata reads unencrypted PEM keys (decrypt it with openssl pkey)");
            }

            rsa.ImportFromPem(pem);
            return new LocalRsaKeyEncryptionKey(name, rsa, HasPrivateKey(rsa));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();

            // The parser's message is not passed on: it may quote the file's content.
            throw new KeyUnwrapException($"key '{name}': '{source}' is not an RSA public or private key in PEM form (BEGIN PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY or RSA PRIVATE KEY)");
        }
        catch (KeyUnwrapException)
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<WrappedKey> WrapAsync(DataKey dataKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataKey);
        var wrapped = _rsa.Encrypt(dataKey.Bytes, RSAEncryptionPadding.OaepSHA256); // from the span: no copy of the key left to zero
        return Task.FromResult(new WrappedKey(KeyId, KeyWrapAlgorithms.RsaOaep256, Convert.ToBase64String(wrapped)) { Name = Name });
    }

    /// <inheritdoc />
    public bool Matches(WrappedKey wrapped) =>
        wrapped is not null && wrapped.KeyId == KeyId && wrapped.Algorithm == KeyWrapAlgorithms.RsaOaep256;

    /// <inheritdoc />
    public Task<DataKey> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(Unwrap(wrapped));
        }
        catch (KeyUnwrapException e)
        {
            return Task.FromException<DataKey>(e);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({KeyId})";

    private DataKey Unwrap(WrappedKey wrapped)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!CanUnwrap)
        {
            throw new KeyUnwrapException($"key '{Name}' ({KeyId}) is an RSA public key: it wraps but cannot unwrap; use the private key");
        }

        if (!Matches(wrapped))
        {
            throw new KeyUnwrapException($"key '{Name}' ({KeyId}, {KeyWrapAlgorithms.RsaOaep256}) did not wrap this data key: it was wrapped by {wrapped.KeyId} ({wrapped.Algorithm})");
        }

        byte[] bytes;
        try
        {
            bytes = _rsa.Decrypt(Convert.FromBase64String(wrapped.Value), RSAEncryptionPadding.OaepSHA256);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new KeyUnwrapException($"key '{Name}' ({KeyId}) cannot unwrap the data key: the wrapping is damaged or was made by another key with the same id");
        }

        try
        {
            return DataKey.FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static bool HasPrivateKey(RSA rsa)
    {
        try
        {
            var parameters = rsa.ExportParameters(includePrivateParameters: true);
            var has = parameters.D is { Length: > 0 };
            CryptographicOperations.ZeroMemory(parameters.D);
            CryptographicOperations.ZeroMemory(parameters.P);
            CryptographicOperations.ZeroMemory(parameters.Q);
            CryptographicOperations.ZeroMemory(parameters.DP);
            CryptographicOperations.ZeroMemory(parameters.DQ);
            CryptographicOperations.ZeroMemory(parameters.InverseQ);
            return has;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

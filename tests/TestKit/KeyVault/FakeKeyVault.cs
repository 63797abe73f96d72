using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Strata.Adapters.KeyVault;
using Strata.Core.Configuration;
using Strata.Sandbox.Security;
using Strata.TestKit.Azure;

namespace Strata.TestKit.KeyVault;

/// <summary>
/// Azure Key Vault's key operations as the REST reference describes them, on HTTPS on a free loopback port (bearer
/// tokens are only sent over TLS; certificate from <see cref="SandboxCertificates"/>, which <see cref="Transport"/>
/// trusts, and nothing else): get key (<c>GET /keys/NAME[/VERSION]</c> → <c>{"key":{JWK}}</c>), and
/// <c>wrapkey</c>, <c>unwrapkey</c> and <c>sign</c> (<c>POST /keys/NAME[/VERSION]/OP</c> with <c>{"alg","value"}</c>
/// → <c>{"kid","value"}</c>, base64url without padding) with real RSA and EC P-256 keys and versioned kids. Errors in
/// the vault's shape <c>{"error":{"code","message"}}</c>: 400 <c>BadParameter</c> (no api-version, an algorithm
/// the key does not do, a ciphertext that does not decrypt), 401 with a <c>WWW-Authenticate</c> challenge (no bearer
/// token, or one for another tenant than <see cref="RequiredTenant"/>), 403 <c>Forbidden</c> for a key marked with
/// <see cref="Forbid"/>, 404 <c>KeyNotFound</c>, and 429 <c>Throttled</c> on demand (<see cref="ThrottleNext"/>).
/// Every request is recorded.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    private readonly ConcurrentQueue<KeyVaultRequest> _requests = new();
    private readonly Dictionary<string, List<FakeKeyVersion>> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _forbidden = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private readonly HttpClientTransport _transport;
    private WebApplication _app = null!;
    private int _throttle;

    private FakeKeyVault(SandboxCertificates certificates)
    {
        Certificates = certificates;
        _transport = new HttpClientTransport(certificates.CreateTrustingHandler());
    }

    /// <summary>A credential whose tokens the fake accepts (see <see cref="FakeVaultCredential"/>).</summary>
    public static TokenCredential Credential { get; } = new FakeVaultCredential();

    /// <summary>The fake's CA and server certificate.</summary>
    public SandboxCertificates Certificates { get; }

    /// <summary>The vault's base URI, <c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri VaultUri { get; private set; } = null!;

    /// <summary>A transport that trusts the fake's certificate, and only it.</summary>
    public HttpPipelineTransport Transport => _transport;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<KeyVaultRequest> Requests => [.. _requests];

    /// <summary>When set, tokens must be for this tenant; others are answered 401 with a challenge naming it.</summary>
    public string? RequiredTenant { get; set; }

    /// <summary>The <c>resource</c> the 401 challenge names; default the public cloud's <c>https://vault.azure.net</c>.</summary>
    public string ChallengeResource { get; set; } = "https://vault.azure.net";

    /// <summary>Starts a vault with no keys.</summary>
    public static async Task<FakeKeyVault> StartAsync()
    {
        var vault = new FakeKeyVault(new SandboxCertificates(TimeProvider.System));
        (vault._app, var url) = await LoopbackHttps.StartAsync(vault.Certificates, vault.HandleAsync);
        vault.VaultUri = new Uri(url.TrimEnd('/') + "/");
        return vault;
    }

    /// <summary>Options for a <see cref="KeyVaultKeys"/> that reaches this fake: its transport, quick retries, challenge resources not verified (the fake is not under vault.azure.net).</summary>
    public KeyVaultKeysOptions Options(int maxRetries = 0) => new()
    {
        Transport = Transport,
        Retry = { MaxRetries = maxRetries, Delay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20), Mode = RetryMode.Fixed },
        DisableChallengeResourceVerification = true,
    };

    /// <summary>A client for this fake, signed in with <see cref="Credential"/>.</summary>
    public KeyVaultKeys Client(int maxRetries = 0) => new(Credential, Options(maxRetries));

    /// <summary>The reference strata.yaml would hold for key <paramref name="name"/> in this vault.</summary>
    public KeyVaultKeyReference Reference(string name, string? version = null) => new(VaultUri.ToString(), name, version);

    /// <summary>Creates an RSA key (2048 bits); returns its kid.</summary>
    public string CreateRsaKey(string name) => Add(name, FakeKeyVersion.Rsa(RSA.Create(2048)));

    /// <summary>Creates an EC key, on P-256 unless <paramref name="curve"/> is <c>P-384</c> or <c>P-521</c>; returns its kid.</summary>
    public string CreateEcKey(string name, string curve = "P-256") => Add(name, FakeKeyVersion.Ec(ECDsa.Create(curve switch
    {
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => ECCurve.NamedCurves.nistP256,
    })));

    /// <summary>A new version of the key, of the same type, which becomes current; returns its kid. Older versions keep working.</summary>
    public string RotateKey(string name)
    {
        lock (_gate)
        {
            var current = _keys[name][^1];
            return Add(name, current.IsRsa ? FakeKeyVersion.Rsa(RSA.Create(2048)) : FakeKeyVersion.Ec(ECDsa.Create(((ECDsa)current.Key).ExportParameters(false).Curve)));
        }
    }

    /// <summary>The current version of the key.</summary>
    public string CurrentVersion(string name)
    {
        lock (_gate)
        {
            return _keys[name][^1].Version;
        }
    }

    /// <summary>Answers every request on the key with 403 <c>Forbidden</c>, as the vault does for an identity without a role on it.</summary>
    public void Forbid(string name)
    {
        lock (_gate)
        {
            _forbidden.Add(name);
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests with 429 <c>Throttled</c>.</summary>
    public void ThrottleNext(int count) => Interlocked.Exchange(ref _throttle, count);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _transport.Dispose();
        Certificates.Dispose();
        lock (_gate)
        {
            foreach (var version in _keys.Values.SelectMany(v => v))
            {
                version.Key.Dispose();
            }
        }
    }

    private string Add(string name, FakeKeyVersion version)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var versions))
            {
                _keys[name] = versions = [];
            }

            versions.Add(version);
            return Kid(name, version.Version);
        }
    }

    private string Kid(string name, string version) => new Uri(VaultUri, $"keys/{name}/{version}").ToString();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var apiVersion = request.Query.TryGetValue("api-version", out var values) ? values.ToString() : null;
        var authorization = request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;

        var (status, answer) = Answer(request.Method, request.Path.Value ?? "", apiVersion, token, body);
        _requests.Enqueue(new KeyVaultRequest(request.Method, request.Path.Value ?? "", apiVersion, token, body, status));
        context.Response.StatusCode = status;
        if (status == 401)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"https://login.microsoftonline.com/{RequiredTenant ?? "common"}\", resource=\"{ChallengeResource}\"";
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private (int Status, JsonObject Answer) Answer(string method, string path, string? apiVersion, string? token, string body)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return Error(400, "BadParameter", "The request URI contains an invalid or missing api-version");
        }

        if (token is null || (RequiredTenant is { } tenant && !token.Contains($";tenant={tenant};", StringComparison.Ordinal)))
        {
            return Error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }

        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            return Error(429, "Throttled", "Request was not processed because too many requests were received.");
        }

        // /keys/NAME, /keys/NAME/VERSION (GET); /keys/NAME/OP, /keys/NAME/VERSION/OP (POST).
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length is < 2 or > 4 || segments[0] != "keys")
        {
            return Error(404, "NotFound", "The requested resource does not exist.");
        }

        var (version, operation) = (method, segments.Length) switch
        {
            ("GET", 2) => (null, "get"),
            ("GET", 3) => (segments[2], "get"),
            ("POST", 3) => (null, segments[2]),
            ("POST", 4) => (segments[2], segments[3]),
            _ => ("?", "?"),
        };
        if (operation is not ("get" or "wrapkey" or "unwrapkey" or "sign"))
        {
            return Error(405, "MethodNotAllowed", $"{method} {path} is not an operation this vault knows.");
        }

        FakeKeyVersion? key;
        lock (_gate)
        {
            if (_forbidden.Contains(segments[1]))
            {
                return Error(403, "Forbidden", $"Caller is not authorized to perform action on resource.\r\nIf role assignments were recently changed, please wait several minutes for role assignments to become effective.\r\nCaller: appid=fake;oid=00000000-0000-0000-0000-000000000000\r\nVault: fake;location=local");
            }

            key = _keys.TryGetValue(segments[1], out var versions)
                ? version is null ? versions[^1] : versions.Find(v => v.Version.Equals(version, StringComparison.OrdinalIgnoreCase))
                : null;
        }

        if (key is null)
        {
            return Error(404, "KeyNotFound", $"A key with (name/id) {segments[1]}{(version is null ? "" : "/" + version)} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command.");
        }

        var kid = Kid(segments[1], key.Version);
        if (operation == "get")
        {
            return (200, new JsonObject { ["key"] = key.Jwk(kid), ["attributes"] = new JsonObject { ["enabled"] = true, ["recoveryLevel"] = "Recoverable+Purgeable" } });
        }

        string? alg;
        byte[] value;
        try
        {
            var parameters = JsonNode.Parse(body)?.AsObject();
            alg = parameters?["alg"]?.GetValue<string>();
            value = Base64Url.DecodeFromChars(parameters?["value"]?.GetValue<string>() ?? throw new FormatException());
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return Error(400, "BadParameter", "Property 'value' is required and must be base64url.");
        }

        var result = key.Operate(operation, alg, value);
        return result is null
            ? Error(400, "BadParameter", $"Algorithm '{alg}' is not valid for {operation} with this key, or the value is not valid for it.")
            : (200, new JsonObject { ["kid"] = kid, ["value"] = Base64Url.EncodeToString(result) });
    }

    private static (int, JsonObject) Error(int status, string code, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });
}

using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Adapters.Kubernetes.Credentials;

/// <summary>
/// An exec credential plugin (<c>client.authentication.k8s.io/v1</c> or <c>v1beta1</c>):
/// kubelogin for AKS, <c>aws eks get-token</c>, gke-gcloud-auth-plugin. Runs non-interactively
/// with <c>KUBERNETES_EXEC_INFO</c>, and caches the credential until its expiry (or a 401).
/// </summary>
/// <remarks>
/// Kept rather than the SDK's <c>ExecTokenProvider</c>: that one runs the plugin while the
/// configuration is built (blocking, once, even if no call follows), sends <c>kind: ExecCredentials</c>
/// without the cluster (<c>provideClusterInfo</c>), joins arguments with spaces, ignores
/// <c>interactiveMode</c>, drops a certificate the plugin returns after the first run, and cannot
/// be told that the server refused its token. See docs/kubernetes.md.
/// </remarks>
public sealed class ExecCredentialPlugin : ICredentialSource
{
    private static readonly string[] SupportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];
    private readonly ExecConfig _config;
    private readonly string _where;
    private readonly Uri _server;
    private readonly ClusterEntry _cluster;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Credential? _cached;

    internal ExecCredentialPlugin(ExecConfig config, string where, Uri server, ClusterEntry cluster, TimeProvider time)
    {
        if (string.IsNullOrEmpty(config.Command))
        {
            throw new KubeconfigException($"{where}: exec.command is required");
        }

        if (!SupportedVersions.Contains(config.ApiVersion))
        {
            throw new KubeconfigException($"{where}: exec.apiVersion \"{config.ApiVersion}\" is not supported (use {string.Join(" or ", SupportedVersions)})");
        }

        if (config.ApiVersion == SupportedVersions[0] && string.IsNullOrEmpty(config.InteractiveMode))
        {
            throw new KubeconfigException($"{where}: exec.interactiveMode is required for {SupportedVersions[0]}");
        }

        _config = config;
        _where = where;
        _server = server;
        _cluster = cluster;
        _time = time;
    }

    /// <summary>How long the plugin may run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A certificate from the kubeconfig, used when the plugin returns only a token.</summary>
    public X509Certificate2? StaticCertificate { get; init; }

    /// <summary>How many times the plugin has run (for diagnostics and tests).</summary>
    public int Runs { get; private set; }

    /// <inheritdoc />
    public async ValueTask<Credential> GetAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        if (!refresh && Fresh(_cached) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!refresh && Fresh(_cached) is { } again)
            {
                return again;
            }

            _cached = await RunAsync(cancellationToken);
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Credential? Fresh(Credential? credential) =>
        credential is not null && (credential.ExpiresAt is null || credential.ExpiresAt > _time.GetUtcNow().AddSeconds(10)) ? credential : null;

    private async Task<Credential> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_config.Command!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in _config.Args ?? [])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var env in _config.Env ?? [])
        {
            if (!string.IsNullOrEmpty(env.Name))
            {
                start.Environment[env.Name] = env.Value ?? string.Empty;
            }
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo().ToJsonString();

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubeconfigException($"{_where}: exec plugin {_config.Command} did not start");
        }
        catch (Win32Exception e)
        {
            var hint = string.IsNullOrWhiteSpace(_config.InstallHint) ? string.Empty : $" ({_config.InstallHint.Trim()})";
            throw new KubeconfigException($"{_where}: exec plugin \"{_config.Command}\" could not be run: {e.Message}{hint}", e);
        }

        using (process)
        {
            Runs++;
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new KubeconfigException($"{_where}: exec plugin \"{_config.Command}\" did not finish within {Timeout.TotalSeconds:0} s");
            }

            if (process.ExitCode != 0)
            {
                var error = (await stderr).Trim();
                if (error.Length > 400)
                {
                    error = error[..400] + "…";
                }

                throw new KubeconfigException($"{_where}: exec plugin \"{_config.Command}\" failed with exit code {process.ExitCode}: {error}");
            }

            return Parse(await stdout);
        }
    }

    private JsonObject ExecInfo()
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (_config.ProvideClusterInfo)
        {
            var cluster = new JsonObject { ["server"] = _server.ToString().TrimEnd('/') };
            if (!string.IsNullOrEmpty(_cluster.TlsServerName))
            {
                cluster["tls-server-name"] = _cluster.TlsServerName;
            }

            if (_cluster.InsecureSkipTlsVerify)
            {
                cluster["insecure-skip-tls-verify"] = true;
            }

            if (!string.IsNullOrEmpty(_cluster.CertificateAuthorityData))
            {
                cluster["certificate-authority-data"] = _cluster.CertificateAuthorityData;
            }

            spec["cluster"] = cluster;
        }

        return new JsonObject { ["apiVersion"] = _config.ApiVersion, ["kind"] = "ExecCredential", ["spec"] = spec };
    }

    private Credential Parse(string output)
    {
        JsonObject? credential;
        try
        {
            credential = JsonNode.Parse(output) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            credential = null;
        }

        if (credential is null || credential["kind"]?.GetValue<string>() != "ExecCredential")
        {
            throw new KubeconfigException($"{_where}: exec plugin \"{_config.Command}\" did not print an ExecCredential");
        }

        if (credential["apiVersion"]?.GetValue<string>() != _config.ApiVersion)
        {
            throw new KubeconfigException(
                $"{_where}: exec plugin \"{_config.Command}\" answered with apiVersion \"{credential["apiVersion"]}\", expected \"{_config.ApiVersion}\"");
        }

        var status = credential["status"] as JsonObject
            ?? throw new KubeconfigException($"{_where}: exec plugin \"{_config.Command}\" returned no status");
        var token = status["token"]?.GetValue<string>();
        var certData = status["clientCertificateData"]?.GetValue<string>();
        var keyData = status["clientKeyData"]?.GetValue<string>();
        X509Certificate2? certificate = StaticCertificate;
        if (!string.IsNullOrEmpty(certData) || !string.IsNullOrEmpty(keyData))
        {
            if (string.IsNullOrEmpty(certData) || string.IsNullOrEmpty(keyData))
            {
                throw new KubeconfigException($"{_where}: exec plugin returned clientCertificateData without clientKeyData, or the reverse");
            }

            certificate = ClientCertificates.FromPem(certData, keyData, _where + " (exec plugin)");
        }

        if (string.IsNullOrEmpty(token) && certificate is null)
        {
            throw new KubeconfigException($"{_where}: exec plugin \"{_config.Command}\" returned neither a token nor a client certificate");
        }

        DateTimeOffset? expires = null;
        if (status["expirationTimestamp"]?.GetValue<string>() is { Length: > 0 } stamp)
        {
            expires = DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new KubeconfigException($"{_where}: exec plugin returned an unreadable expirationTimestamp \"{stamp}\"");
        }

        return new Credential(string.IsNullOrEmpty(token) ? null : token, certificate, expires);
    }
}

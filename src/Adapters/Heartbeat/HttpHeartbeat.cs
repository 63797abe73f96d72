using System.Net.Http.Headers;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Adapters.Heartbeat;

/// <summary>
/// Pings a dead man's switch — Healthchecks.io, Cronitor, Better Stack heartbeats all take a plain GET on a
/// secret URL — once per schedule tick, with a short timeout. The URL is resolved at every ping (a rotated one
/// takes effect without a restart) and never appears in what this returns.
/// </summary>
public sealed class HttpHeartbeat : IHeartbeat, IDisposable
{
    /// <summary>How long one ping may take: well inside the tick's minute.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly SecretResolver _secrets;
    private readonly HttpClient _http;

    /// <summary>Creates the sender; <paramref name="transport"/> replaces the HTTP handler (tests).</summary>
    public HttpHeartbeat(SecretResolver secrets, HttpMessageHandler? transport = null)
    {
        _secrets = secrets;
        _http = new HttpClient(transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Strata", typeof(HttpHeartbeat).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <inheritdoc />
    public async Task<string?> PingAsync(SecretReference url, CancellationToken cancellationToken = default)
    {
        try
        {
            var target = await _secrets.ResolveAsync(url, cancellationToken);
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                return $"the value of {url} is not an http(s) URL";
            }

            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (SecretUnavailableException e)
        {
            return e.Message;
        }
        catch (HttpRequestException e)
        {
            return $"{url} could not be reached ({e.HttpRequestError})";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{url} did not answer within {Timeout.TotalSeconds:0} s";
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

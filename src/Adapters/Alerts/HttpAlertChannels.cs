using System.Net.Http.Headers;
using System.Text;
using Polly.Timeout;
using Strata.Adapters.Secrets;
using Strata.Core.Alerts;
using Strata.Core.Configuration;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Adapters.Alerts;

/// <summary>
/// The alert channels over HTTPS: Slack incoming webhooks (<see cref="SlackMessage"/>), Teams Workflows webhooks
/// (<see cref="TeamsCard"/>), PagerDuty Events API v2 (<see cref="PagerDutyEvent"/>) and signed generic webhooks (the
/// envelope, <see cref="WebhookSignature"/>). Secrets (URLs, routing keys, signing secrets) are resolved at every
/// delivery through <see cref="SecretResolver"/> — alerts are rare, and a secret rotated in Key Vault or a mounted file takes
/// effect without a restart. They go only where the service needs them (the request's address; PagerDuty's
/// <c>routing_key</c>; the HMAC key) and are struck from every answer and error this returns.
/// </summary>
public sealed class HttpAlertChannels : IAlertChannels, IDisposable
{
    private const int MaxAnswer = 300;
    private const int MaxBodyRead = 16 * 1024;
    private readonly SecretResolver _secrets;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ChannelRetries _retries;

    /// <summary>Creates the channels.</summary>
    /// <param name="secrets">Resolves the channels' secret references.</param>
    /// <param name="time">The clock (webhook signatures, <c>Retry-After</c> dates, backoff).</param>
    /// <param name="options">Attempts, delays, transport; defaults when null.</param>
    public HttpAlertChannels(SecretResolver secrets, TimeProvider time, AlertDeliveryOptions? options = null)
    {
        options ??= new AlertDeliveryOptions();
        _secrets = secrets;
        _time = time;
        _http = new HttpClient(options.Transport?.Invoke() ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own timeout (ChannelRetries)
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Strata", typeof(HttpAlertChannels).Assembly.GetName().Version?.ToString(3) ?? "0"));
        _retries = new ChannelRetries(options, time);
    }

    /// <inheritdoc />
    public async Task<AlertDelivery> DeliverAsync(AlertChannelDefinition channel, AlertNotification notification, CancellationToken cancellationToken = default)
    {
        var secrets = new List<string>();
        try
        {
            async Task<string> ResolveAsync(SecretReference reference)
            {
                var value = await _secrets.ResolveAsync(reference, cancellationToken);
                secrets.Add(value);
                return value;
            }

            switch (channel.Type)
            {
                case AlertChannelType.PagerDuty:
                    var routingKey = await ResolveAsync(channel.RoutingKey!);
                    return await PostAsync(channel.Endpoint ?? AlertChannelDefinition.PagerDutyEvents, PagerDutyEvent.Build(notification, routingKey).ToJsonString(), null, secrets, cancellationToken);
                case AlertChannelType.Webhook:
                    var webhook = Target(await ResolveAsync(channel.Url!), channel.Url!);
                    var secret = await ResolveAsync(channel.SigningSecret!);
                    return await PostAsync(webhook, MessageCodec.Serialize(notification.Message), body => WebhookSignature.Sign(secret, _time.GetUtcNow(), body), secrets, cancellationToken);
                default:
                    var target = Target(await ResolveAsync(channel.Url!), channel.Url!);
                    var payload = channel.Type == AlertChannelType.Slack ? SlackMessage.Build(notification) : TeamsCard.Build(notification);
                    return await PostAsync(target, payload.ToJsonString(), null, secrets, cancellationToken);
            }
        }
        catch (SecretUnavailableException e)
        {
            return AlertDelivery.Failed(e.Message); // names the reference and why, never a value
        }
        catch (InvalidSecretException e)
        {
            return AlertDelivery.Failed(e.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static Uri Target(string value, SecretReference reference) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidSecretException($"the value of {reference} is not an https URL");

    private async Task<AlertDelivery> PostAsync(Uri target, string body, Func<string, string>? sign, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var (answer, error, attempts) = await _retries.RunAsync(async token =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (sign is not null)
            {
                request.Headers.TryAddWithoutValidation(WebhookSignature.Header, sign(body)); // signed per attempt: a retry is not a replay
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            return new ChannelResponse((int)response.StatusCode, await ReadAsync(response, token), response.Headers.RetryAfter);
        }, cancellationToken);
        if (answer is not null)
        {
            return new AlertDelivery(answer.Accepted, answer.Status, Redact(Excerpt(answer.Body), secrets, target), attempts);
        }

        return AlertDelivery.Failed(error switch
        {
            TimeoutRejectedException => "no answer: every attempt timed out",
            HttpRequestException { HttpRequestError: var kind } when kind != HttpRequestError.Unknown => $"no answer: {Words(kind)}",
            _ => $"no answer: {error?.GetType().Name}",
        }, attempts);
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyRead];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static string Excerpt(string body)
    {
        var flat = string.Join(' ', body.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= MaxAnswer ? flat : flat[..MaxAnswer] + "…";
    }

    // Whatever a service echoes back, no secret of the channel leaves this class: not the URL (nor its path, where
    // Slack and Teams keep their tokens), not the routing key, not the signing secret.
    private static string Redact(string text, IReadOnlyList<string> secrets, Uri target)
    {
        foreach (var secret in secrets.Append(target.AbsoluteUri).Append(target.PathAndQuery).Where(s => s.Length >= 4 && s != "/").OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        return text;
    }

    private static string Words(HttpRequestError kind) => kind switch
    {
        HttpRequestError.NameResolutionError => "the host name does not resolve",
        HttpRequestError.ConnectionError => "the connection failed",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed (certificate?)",
        HttpRequestError.ResponseEnded => "the response was cut off",
        _ => kind.ToString(),
    };

    /// <summary>A secret whose value is not what the channel needs; the message names the reference only.</summary>
    private sealed class InvalidSecretException(string message) : Exception(message);
}

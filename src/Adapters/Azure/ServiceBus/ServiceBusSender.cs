using System.Text;
using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using Strata.Core.Messages;

namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>
/// Sends envelopes to a Service Bus queue through the REST API's Send Message operation
/// (<c>POST https://NAMESPACE.servicebus.windows.net/QUEUE/messages</c>) with a Microsoft Entra ID
/// token for <c>https://servicebus.azure.net/.default</c>. The body is the envelope as JSON; the
/// <c>BrokerProperties</c> header carries the envelope's id as <c>MessageId</c> (so the queue's
/// duplicate detection, when on, drops a resend), its correlation id and its type as <c>Label</c>.
/// A retried send keeps the same message id, and Strata's workers are idempotent by it.
/// </summary>
public sealed class ServiceBusSender
{
    /// <summary>The token scope Service Bus accepts.</summary>
    public const string Scope = "https://servicebus.azure.net/.default";

    private readonly HttpPipeline _pipeline;

    /// <summary>A sender for the namespace at <paramref name="endpoint"/> (see <see cref="ServiceBusNamespace.Parse"/>).</summary>
    public ServiceBusSender(Uri endpoint, TokenCredential credential, ServiceBusClientOptions? options = null)
    {
        Endpoint = endpoint;
        _pipeline = HttpPipelineBuilder.Build(options ?? new ServiceBusClientOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    /// <summary>The namespace, e.g. <c>https://strata-prod.servicebus.windows.net/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Sends <paramref name="envelope"/> to <paramref name="queue"/>; a refusal throws <see cref="ServiceBusException"/>.</summary>
    public async Task SendAsync(string queue, Envelope envelope, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri(Endpoint, Uri.EscapeDataString(queue) + "/messages"));
        request.Headers.SetValue("Content-Type", "application/json");
        request.Headers.SetValue("BrokerProperties", new JsonObject
        {
            ["MessageId"] = envelope.Id,
            ["CorrelationId"] = envelope.CorrelationId,
            ["Label"] = envelope.Type,
        }.ToJsonString());
        request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(MessageCodec.Serialize(envelope)));

        var where = $"queue {queue} in {Endpoint.Host}";
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (AggregateException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceBusException($"sending to {where} failed: the namespace could not be reached after {e.InnerExceptions.Count} tries ({e.InnerExceptions[^1].GetBaseException().Message})", 0, e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ServiceBusException($"sending to {where} failed: the namespace could not be reached ({e.GetBaseException().Message})", 0, e);
        }

        var response = message.Response;
        if (response.Status != 201)
        {
            throw new ServiceBusException($"sending to {where} failed: {response.Status} {Explain(response.Status)}{Detail(response)}", response.Status);
        }
    }

    /// <summary>What the Send Message reference says each refusal means.</summary>
    private static string Explain(int status) => status switch
    {
        400 => "(the service refused the request as malformed)",
        401 => "(the token was refused: sign in again, e.g. 'az login', or check the identity's tenant)",
        403 => "(the identity lacks the 'Azure Service Bus Data Sender' role on the queue, the quota is exceeded, or the message is too large)",
        404 or 410 => "(no such queue in this namespace)",
        _ => "(the service failed; try again)",
    };

    /// <summary>The service's own error text (an XML <c>Detail</c> element or plain text), first line only.</summary>
    private static string Detail(Response response)
    {
        var text = response.Content.ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var start = text.IndexOf("<Detail>", StringComparison.Ordinal);
        var end = text.IndexOf("</Detail>", StringComparison.Ordinal);
        var detail = start >= 0 && end > start ? text[(start + 8)..end] : text;
        detail = detail.Split('\n', 2)[0].Trim();
        return detail.Length == 0 ? "" : $": {(detail.Length > 300 ? detail[..300] + "…" : detail)}";
    }
}

/// <summary>
/// Options for <see cref="ServiceBusSender"/>. Retries: 3 after the first, exponential from 0.8 s
/// up to 30 s (or the service's Retry-After), on 408, 429, 5xx, dropped connections and timeouts.
/// </summary>
public sealed class ServiceBusClientOptions : ClientOptions
{
    /// <summary>The defaults above.</summary>
    public ServiceBusClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromSeconds(0.8);
        Retry.MaxDelay = TimeSpan.FromSeconds(30);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        Diagnostics.IsLoggingContentEnabled = false;
        Diagnostics.LoggedHeaderNames.Add("BrokerProperties");
    }
}

/// <summary>A send failed: the message names the queue and namespace and the reason, never a token.</summary>
public sealed class ServiceBusException(string message, int status, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>The HTTP status; 0 when the namespace could not be reached.</summary>
    public int Status { get; } = status;
}

/// <summary>Where a Service Bus namespace is, from what people write.</summary>
public static class ServiceBusNamespace
{
    /// <summary>The Azure public cloud's namespace suffix.</summary>
    public const string DefaultSuffix = ".servicebus.windows.net";

    /// <summary>
    /// <c>NAME</c> (the public cloud), <c>NAME.servicebus.windows.net</c> (or another cloud's host
    /// name), or an <c>https://</c> URL. A connection string is refused: Strata signs in with Entra ID,
    /// and a shared access key should not travel on a command line.
    /// </summary>
    public static Uri Parse(string text, string source)
    {
        text = text.Trim();
        if (text.Contains("SharedAccessKey", StringComparison.OrdinalIgnoreCase) || text.StartsWith("Endpoint=", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{source}: a connection string is not accepted; give the namespace (NAME or NAME{DefaultSuffix}) and sign in with Entra ID");
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.AbsolutePath.Trim('/').Length > 0 || uri.Query.Length > 0)
            {
                throw new FormatException($"{source}: '{text}' is not https://NAME{DefaultSuffix}");
            }

            return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        }

        var host = text.Contains('.', StringComparison.Ordinal) ? text : text + DefaultSuffix;
        var name = host.Split('.')[0];

        // Namespace names: 6-50 letters, digits and hyphens, starting with a letter, not ending with a hyphen.
        if (name.Length is < 6 or > 50 || !char.IsAsciiLetter(name[0]) || name[^1] == '-' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            || Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            throw new FormatException($"{source}: '{text}' is not a Service Bus namespace (6-50 letters, digits and hyphens, starting with a letter)");
        }

        return new Uri($"https://{host}/");
    }
}

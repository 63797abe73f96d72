using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Security;

namespace Strata.TestKit.Azure;

/// <summary>
/// A Service Bus namespace's REST endpoint for Send Message, answering as the reference says:
/// <c>POST /{queue}/messages</c> with a bearer token → 201 and the message kept with its
/// <c>BrokerProperties</c>; no or another token → 401; an unknown queue → 404 (the service's
/// answer; the reference lists 410); <see cref="FailNext"/> answers 503s first. Error bodies are the
/// service's XML (<c>&lt;Error&gt;&lt;Code&gt;…&lt;/Code&gt;&lt;Detail&gt;…&lt;/Detail&gt;&lt;/Error&gt;</c>).
/// HTTPS on loopback (<see cref="LoopbackHttps"/>). No Service Bus emulator speaks the REST API.
/// </summary>
public sealed class RecordingServiceBus : IAsyncDisposable
{
    private readonly string _token;
    private readonly HashSet<string> _queues;
    private WebApplication _app = null!;
    private int _failNext;

    private RecordingServiceBus(SandboxCertificates certificates, string token, IEnumerable<string> queues)
    {
        Certificates = certificates;
        _token = token;
        _queues = new HashSet<string>(queues, StringComparer.OrdinalIgnoreCase);
    }

    public SandboxCertificates Certificates { get; }

    /// <summary>The namespace endpoint, e.g. <c>https://127.0.0.1:PORT</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request, answered or not.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The messages accepted, by queue.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<SentMessage>> Queues { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Answer the next <paramref name="count"/> sends with 503 Service Unavailable.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>A transport for Azure.Core clients that trusts this service's certificate.</summary>
    public HttpPipelineTransport Transport() => new HttpClientTransport(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && Certificates.Verify(new X509Certificate2(certificate)),
    });

    public static async Task<RecordingServiceBus> StartAsync(string token, params string[] queues)
    {
        var service = new RecordingServiceBus(new SandboxCertificates(TimeProvider.System), token, queues);
        (service._app, var url) = await LoopbackHttps.StartAsync(service.Certificates, service.HandleAsync);
        service.Endpoint = new Uri(url);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificates.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(LoopbackHttps.Record(request));
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();

        if (request.Headers.Authorization.ToString() != $"Bearer {_token}")
        {
            await Error(context, 401, "MissingToken: the authorization header was not found, or its token is not valid.");
            return;
        }

        var segments = request.Path.Value!.Trim('/').Split('/');
        if (request.Method != "POST" || segments is not [var queue, "messages"])
        {
            await Error(context, 400, "The request is not a Send Message request.");
            return;
        }

        if (!_queues.Contains(queue))
        {
            await Error(context, 404, $"The messaging entity 'sb://{request.Host}/{queue}' could not be found.");
            return;
        }

        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            await Error(context, 503, "The service is busy. Please try again.");
            return;
        }

        var properties = request.Headers["BrokerProperties"].ToString() is { Length: > 0 } header ? JsonNode.Parse(header)!.AsObject() : [];
        Queues.GetOrAdd(queue, _ => new()).Enqueue(new SentMessage(request.ContentType, properties, body));
        context.Response.StatusCode = 201;
    }

    private static async Task Error(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml; charset=utf-8";
        await context.Response.WriteAsync($"<Error><Code>{status}</Code><Detail>{WebUtility.HtmlEncode(detail)} TrackingId:0, Timestamp:0</Detail></Error>");
    }
}

/// <summary>A message the fake accepted: its content type, broker properties and body.</summary>
public sealed record SentMessage(string? ContentType, JsonObject BrokerProperties, string Body);

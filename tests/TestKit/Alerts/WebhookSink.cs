using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Strata.Adapters.Alerts;
using Strata.Sandbox.Security;
using Strata.TestKit.Azure;

namespace Strata.TestKit.Alerts;

/// <summary>
/// Where alert channels post in tests: an HTTPS server on a free loopback port (its own CA, <see cref="CreateHandler"/>
/// trusts it) that records every request — path, headers, body — and answers 200 <c>ok</c>, or what the test
/// scripted: <see cref="AnswerNext"/> (429 with <c>Retry-After</c>, 500, … for the next N requests, optionally on one path)
/// and <see cref="AnswerAlways"/> (a channel that keeps failing).
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<SinkRequest> _requests = new();
    private readonly List<Rule> _rules = [];
    private readonly Lock _gate = new();
    private WebApplication _app = null!;

    private WebhookSink(SandboxCertificates certificates) => Certificates = certificates;

    /// <summary>The sink's CA and certificate.</summary>
    public SandboxCertificates Certificates { get; }

    /// <summary>The base URL, <c>https://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<SinkRequest> Requests => [.. _requests];

    /// <summary>Starts a sink.</summary>
    public static async Task<WebhookSink> StartAsync()
    {
        var sink = new WebhookSink(new SandboxCertificates(TimeProvider.System));
        (sink._app, var url) = await LoopbackHttps.StartAsync(sink.Certificates, sink.HandleAsync);
        sink.BaseUrl = new Uri(url);
        return sink;
    }

    /// <summary>The URL of <paramref name="path"/> on the sink (e.g. <c>/slack/T000/B000/XXXX</c>).</summary>
    public Uri Url(string path) => new(BaseUrl, path);

    /// <summary>The requests received on <paramref name="path"/>.</summary>
    public IReadOnlyList<SinkRequest> On(string path) => [.. _requests.Where(r => r.Path == path)];

    /// <summary>Answer the next <paramref name="count"/> requests (on <paramref name="path"/>, or any) with <paramref name="status"/>.</summary>
    public void AnswerNext(int count, int status, TimeSpan? retryAfter = null, string body = "", string? path = null)
    {
        lock (_gate)
        {
            _rules.Add(new Rule(path, count, status, retryAfter, body));
        }
    }

    /// <summary>Answer every request on <paramref name="path"/> with <paramref name="status"/> from now on.</summary>
    public void AnswerAlways(string path, int status, string body = "") => AnswerNext(int.MaxValue, status, null, body, path);

    /// <summary>Answer requests on <paramref name="path"/> that no rule catches with <paramref name="status"/> and <paramref name="body"/> (default 200 <c>ok</c>).</summary>
    public void AnswerByDefault(string path, int status, string body) => AnswerNext(-1, status, null, body, path);

    /// <summary>A handler that trusts the sink's CA (and only it), as a channel's transport.</summary>
    public HttpMessageHandler CreateHandler() => Certificates.CreateTrustingHandler();

    /// <summary>Delivery options that post through <see cref="CreateHandler"/> with short backoff (tests wait milliseconds, not seconds).</summary>
    public AlertDeliveryOptions DeliveryOptions(int maxAttempts = 4) => new()
    {
        Transport = CreateHandler,
        MaxAttempts = maxAttempts,
        FirstRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificates.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var path = request.Path + request.QueryString;
        var (status, retryAfter, answer) = Answer(path);
        _requests.Enqueue(new SinkRequest(request.Method, path, LoopbackHttps.Record(request).Headers, body, status));
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(answer);
    }

    private (int Status, TimeSpan? RetryAfter, string Body) Answer(string path)
    {
        lock (_gate)
        {
            // Scripted answers first (in the order given), then defaults for the path, then 200 "ok".
            foreach (var rule in _rules.Where(r => r.Remaining > 0 && (r.Path is null || r.Path == path)))
            {
                rule.Remaining--;
                return (rule.Status, rule.RetryAfter, rule.Body);
            }

            return _rules.LastOrDefault(r => r.Remaining < 0 && r.Path == path) is { } fallback ? (fallback.Status, null, fallback.Body) : (200, null, "ok");
        }
    }

    private sealed class Rule(string? path, int remaining, int status, TimeSpan? retryAfter, string body)
    {
        public string? Path { get; } = path;

        public int Remaining { get; set; } = remaining;

        public int Status { get; } = status;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public string Body { get; } = body;
    }
}

using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Strata.Adapters.Tests.Azure;

/// <summary>Counts requests per operation (method + comp), the most in flight at once, and keeps each try's method, range and If-Match.</summary>
internal sealed class CountingPolicy : HttpPipelinePolicy
{
    private int _inFlight;

    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public ConcurrentQueue<Sent> Requests { get; } = new();

    public int MaxInFlight { get; private set; }

    public int Count(string operation) => Counts.GetValueOrDefault(operation);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Enter(message);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Enter(message);
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Enter(HttpMessage message)
    {
        var request = message.Request;
        var query = System.Web.HttpUtility.ParseQueryString(request.Uri.Query);
        Counts.AddOrUpdate($"{request.Method} {query["comp"] ?? query["restype"]}".Trim(), 1, (_, n) => n + 1);
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : null;
        Requests.Enqueue(new Sent(request.Method.Method, request.Uri.ToUri(), Header("x-ms-range") ?? Header("Range"), Header("If-Match")));
        var now = Interlocked.Increment(ref _inFlight);
        lock (Counts)
        {
            MaxInFlight = Math.Max(MaxInFlight, now);
        }
    }

    /// <summary>One try as it left.</summary>
    public sealed record Sent(string Method, Uri Uri, string? Range, string? IfMatch);
}

using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Strata.Adapters.Tests.Azure;

/// <summary>Counts requests per operation (method + comp) and the most in flight at once.</summary>
internal sealed class CountingPolicy : HttpPipelinePolicy
{
    private int _inFlight;

    public ConcurrentDictionary<string, int> Counts { get; } = new();

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
        var query = System.Web.HttpUtility.ParseQueryString(message.Request.Uri.Query);
        Counts.AddOrUpdate($"{message.Request.Method} {query["comp"] ?? query["restype"]}".Trim(), 1, (_, n) => n + 1);
        var now = Interlocked.Increment(ref _inFlight);
        lock (Counts)
        {
            MaxInFlight = Math.Max(MaxInFlight, now);
        }
    }
}

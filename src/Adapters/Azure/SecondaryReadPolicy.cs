using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace Strata.Adapters.Azure;

/// <summary>
/// Read-access geo-redundancy (RA-GRS / RA-GZRS): a read whose try against the primary failed is
/// tried next against the secondary endpoint, alternating while retries last. Once the secondary
/// answers 404 (not replicated yet), the remaining tries stay on the primary. Writes always go to
/// the primary; the secondary is read-only.
/// </summary>
internal sealed class SecondaryReadPolicy(Uri primary, Uri secondary) : HttpPipelinePolicy
{
    private const string SecondaryProperty = "strata.secondary";
    private const string PrimaryOnlyProperty = "strata.primaryOnly";
    private const string PinnedProperty = "strata.pinned";

    private readonly string _primary = primary.AbsoluteUri.TrimEnd('/');
    private readonly string _secondary = secondary.AbsoluteUri.TrimEnd('/');

    /// <summary>Keeps a request on the endpoint it names (Get Blob Service Stats exists only on the secondary).</summary>
    public static void Pin(HttpMessage message) => message.SetProperty(PinnedProperty, true);

    public static bool WentToSecondary(HttpMessage message) =>
        message.TryGetProperty(SecondaryProperty, out var value) && value is true;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Route(message);
        await ProcessNextAsync(message, pipeline);
        Observe(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Route(message);
        ProcessNext(message, pipeline);
        Observe(message);
    }

    private static void Observe(HttpMessage message)
    {
        if (WentToSecondary(message) && message.HasResponse && message.Response.Status == 404)
        {
            message.SetProperty(PrimaryOnlyProperty, true);
        }
    }

    private void Route(HttpMessage message)
    {
        var method = message.Request.Method;
        if ((method != RequestMethod.Get && method != RequestMethod.Head) || message.TryGetProperty(PinnedProperty, out _))
        {
            return;
        }

        var primaryOnly = message.TryGetProperty(PrimaryOnlyProperty, out var flag) && flag is true;
        var toSecondary = !primaryOnly && message.ProcessingContext.RetryNumber % 2 == 1;
        var uri = message.Request.Uri.ToUri().AbsoluteUri;
        var (from, to) = toSecondary ? (_primary, _secondary) : (_secondary, _primary);
        if (uri.StartsWith(from, StringComparison.Ordinal))
        {
            message.Request.Uri.Reset(new Uri(to + uri[from.Length..]));
        }

        message.SetProperty(SecondaryProperty, toSecondary);
    }
}

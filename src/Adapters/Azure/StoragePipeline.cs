using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace Strata.Adapters.Azure;

/// <summary>
/// The Azure.Core pipeline one storage client sends through: retries tuned for throttling,
/// read-access secondary fallback for reads, then authorization (per try). Failed responses become
/// <see cref="StorageRequestException"/>.
/// </summary>
internal sealed class StoragePipeline
{
    private readonly HttpPipeline _pipeline;

    public StoragePipeline(StorageEndpoints endpoints, StorageAuthentication authentication, StorageService service, StorageClientOptions options)
    {
        Endpoints = endpoints;
        Options = options;
        var perRetry = new List<HttpPipelinePolicy>();
        if (endpoints.Secondary is { } secondary)
        {
            perRetry.Add(new SecondaryReadPolicy(endpoints.Primary, secondary));
        }

        perRetry.Add(new StorageVersionPolicy(service == StorageService.Table ? "2019-02-02" : "2025-11-05"));
        perRetry.Add(authentication.Policy(service, options.Time));
        _pipeline = HttpPipelineBuilder.Build(options, [], [.. perRetry], new StorageResponseClassifier());
    }

    public StorageEndpoints Endpoints { get; }

    public StorageClientOptions Options { get; }

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        return message;
    }

    /// <summary>Sends <paramref name="message"/>; a status outside <paramref name="expected"/> throws.</summary>
    public async Task<Response> SendAsync(HttpMessage message, string operation, string resource, CancellationToken cancellationToken, params int[] expected)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (AggregateException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Azure.Core's retry policy gave up on a request that never got an answer.
            var last = e.InnerExceptions[^1].GetBaseException();
            throw new StorageRequestException(
                $"{operation} '{resource}' failed: {Host(message)} could not be reached after {e.InnerExceptions.Count} tries ({last.Message})", 0, null, e);
        }
        catch (RequestFailedException e)
        {
            throw new StorageRequestException($"{operation} '{resource}' failed: {e.Status} {e.ErrorCode}", e.Status, e.ErrorCode, e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StorageRequestException($"{operation} '{resource}' failed: {Host(message)} could not be reached ({e.GetBaseException().Message})", 0, null, e);
        }

        var response = message.Response;
        if (!expected.Contains(response.Status))
        {
            throw StorageRequestException.FromResponse(operation, resource, response);
        }

        return response;
    }

    private static string Host(HttpMessage message) => message.Request.Uri.ToUri().GetLeftPart(UriPartial.Authority);

    /// <summary>Sets <c>x-ms-version</c> on every request.</summary>
    private sealed class StorageVersionPolicy(string version) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("x-ms-version", version);
    }
}

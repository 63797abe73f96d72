using System.Globalization;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace Strata.Adapters.Azure;

/// <summary>
/// Signs each try of a request with the account key (a fresh <c>x-ms-date</c> per try, so a
/// retried request is not refused as stale). Blob and Table sign differently.
/// </summary>
internal sealed class SharedKeyPolicy(StorageSharedKey key, StorageService service, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        var uri = request.Uri.ToUri();
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : null;
        var stringToSign = service == StorageService.Table
            ? key.TableStringToSign(request.Method.Method, uri, Header)
            : key.BlobStringToSign(request.Method.Method, uri, Header, request.Headers.Select(h => h.Name), ContentLength(request));
        request.Headers.SetValue("Authorization", key.Authorization(stringToSign));
    }

    private static long ContentLength(Request request) =>
        request.Content is { } content && content.TryComputeLength(out var length) ? length : 0;
}

/// <summary>Which storage service a client talks to (they sign and fail differently).</summary>
public enum StorageService
{
    Blob,
    Table,
}

using global::Azure.Core;

namespace Strata.Adapters.Azure;

/// <summary>
/// What the retry policy retries: <see cref="StorageRequestException.IsTransientStatus"/>, plus a
/// 404 from the read-access secondary (the blob may not have replicated yet: the next try goes
/// to the primary). Dropped connections and timeouts are retried by Azure.Core.
/// </summary>
internal sealed class StorageResponseClassifier : ResponseClassifier
{
    public override bool IsRetriableResponse(HttpMessage message) =>
        StorageRequestException.IsTransientStatus(message.Response.Status)
        || (message.Response.Status == 404 && SecondaryReadPolicy.WentToSecondary(message));

    public override bool IsErrorResponse(HttpMessage message) => message.Response.Status >= 400;
}

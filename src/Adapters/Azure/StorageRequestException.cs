using global::Azure;

namespace Strata.Adapters.Azure;

/// <summary>
/// A Blob or Table storage request failed: the HTTP status (0 when no response came), the
/// service's error code (<c>BlobAlreadyExists</c>, <c>EntityAlreadyExists</c>,
/// <c>UpdateConditionNotSatisfied</c>, …) and whether trying again may help. The SDK's own
/// failures (<see cref="RequestFailedException"/>, or the retry policy's
/// <see cref="AggregateException"/> when no try got an answer) are translated into this one type
/// with a one-line message that names the operation and resource, never a key, SAS or token; the
/// SDK's exception is the inner exception.
/// </summary>
public sealed class StorageRequestException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StorageRequestException(string message, int status, string? errorCode, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status; 0 when the service could not be reached.</summary>
    public int Status { get; }

    /// <summary>The service's error code, when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Throttling, server errors, timeouts and unreachable services are worth retrying.</summary>
    public bool IsTransient => IsTransientStatus(Status);

    /// <summary>The statuses the retry policy retries.</summary>
    public static bool IsTransientStatus(int status) => status is 0 or 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>
    /// The exception for <paramref name="failure"/> of <paramref name="operation"/> on
    /// <paramref name="resource"/>, or null when it is not a storage failure (a bug, a cancellation
    /// the caller asked for, or already translated).
    /// </summary>
    public static StorageRequestException? From(Exception failure, string operation, string resource, CancellationToken cancellationToken = default)
    {
        switch (failure)
        {
            case StorageRequestException:
                return null;
            case RequestFailedException { Status: > 0 } e:
                var text = $"{operation} '{resource}' failed: {e.Status} {e.ErrorCode}".TrimEnd();
                return new StorageRequestException(ServiceSentence(e.Message) is { } sentence ? $"{text} ({sentence})" : text, e.Status, e.ErrorCode, e);
            case AggregateException e when e.InnerExceptions.Count > 0 && !cancellationToken.IsCancellationRequested:
                // Azure.Core's retry policy gave up: the last try says why.
                var last = e.InnerExceptions[^1];
                return From(last, operation, resource, cancellationToken) is { Status: > 0 } answered
                    ? answered
                    : Unreachable(operation, resource, $"after {e.InnerExceptions.Count} tries ({Cause(last)})", e);
            case RequestFailedException or HttpRequestException or TimeoutException when !cancellationToken.IsCancellationRequested:
                return Unreachable(operation, resource, $"({Cause(failure)})", failure);
            case OperationCanceledException or IOException when !cancellationToken.IsCancellationRequested:
                // A network timeout (TaskCanceledException) or a dropped connection the SDK did not retry.
                return Unreachable(operation, resource, $"({Cause(failure)})", failure);
            default:
                return null;
        }
    }

    private static StorageRequestException Unreachable(string operation, string resource, string detail, Exception inner) =>
        new($"{operation} '{resource}' failed: the service could not be reached {detail}", 0, null, inner);

    /// <summary>
    /// The service's sentence: its messages continue with RequestId, Time, Status and headers. The
    /// SDK's placeholder for a response without a readable error says nothing the status does not.
    /// </summary>
    private static string? ServiceSentence(string message) =>
        message.Split('\n')[0].Trim() is { Length: > 0 } line && line != "Service request failed." ? line : null;

    /// <summary>Why no answer came: HttpClient's message names the host and port (<c>Connection refused (host:port)</c>).</summary>
    private static string Cause(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or TimeoutException)
            {
                return e.Message;
            }
        }

        return failure.GetBaseException().Message;
    }
}

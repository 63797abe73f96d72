using System.Text.Json;
using System.Xml.Linq;
using global::Azure;

namespace Strata.Adapters.Azure;

/// <summary>
/// A Blob or Table storage request failed: the HTTP status (0 when no response came), the
/// service's error code (<c>BlobAlreadyExists</c>, <c>EntityAlreadyExists</c>,
/// <c>UpdateConditionNotSatisfied</c>, …) and whether trying again may help. Messages name the
/// operation and the resource path, never a key, SAS or token.
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

    /// <summary>Builds the exception from a failed response (headers and error body).</summary>
    public static StorageRequestException FromResponse(string operation, string resource, Response response)
    {
        var code = response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : null;
        var (bodyCode, message) = ReadError(response);
        code ??= bodyCode;
        var text = $"{operation} '{resource}' failed: {response.Status} {code ?? response.ReasonPhrase}";
        if (!string.IsNullOrWhiteSpace(message))
        {
            text += $" ({message})";
        }

        return new StorageRequestException(text, response.Status, code);
    }

    /// <summary>The service's own code and first message line, from an XML (Blob) or JSON (Table) error body.</summary>
    private static (string? Code, string? Message) ReadError(Response response)
    {
        try
        {
            // A streamed response (Get Blob) is not buffered: its error body is not read.
            if (response.ContentStream is not MemoryStream || response.Content.ToMemory().Length == 0)
            {
                return (null, null);
            }

            var text = response.Content.ToString().TrimStart('\uFEFF');
            if (text.StartsWith('<'))
            {
                var error = XDocument.Parse(text).Root;
                return (error?.Element("Code")?.Value, FirstLine(error?.Element("Message")?.Value));
            }

            using var json = JsonDocument.Parse(text);
            if (json.RootElement.TryGetProperty("odata.error", out var odata))
            {
                var message = odata.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString() : null;
                return (odata.TryGetProperty("code", out var c) ? c.GetString() : null, FirstLine(message));
            }
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException or InvalidOperationException)
        {
        }

        return (null, null);
    }

    /// <summary>Service messages end with RequestId and Time lines: keep the sentence.</summary>
    private static string? FirstLine(string? message) => message?.Split('\n')[0].Trim();
}

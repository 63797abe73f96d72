using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;

namespace Strata.Adapters.Hosting;

/// <summary>An HTTP function's answer: status, body and headers (<c>Content-Type</c> among them), and the messages it sends.</summary>
public sealed record HttpAnswer(int Status, string Body, IReadOnlyDictionary<string, string> Headers, FunctionResult Result)
{
    // Bodies are application/json, never HTML: quotes and apostrophes stay readable.
    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The <c>Content-Type</c> header.</summary>
    public string ContentType => Headers.TryGetValue("Content-Type", out var type) ? type : "application/json";

    /// <summary>A JSON answer; a problem body (one with a <c>type</c>) goes out as <see cref="Problems.ContentType"/>.</summary>
    public static HttpAnswer Json(int status, JsonNode body, FunctionResult? result = null) => new(
        status,
        body.ToJsonString(BodyJson),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = body is JsonObject { } problem && problem.ContainsKey("type") ? Problems.ContentType : "application/json",
        },
        result ?? new FunctionResult());
}

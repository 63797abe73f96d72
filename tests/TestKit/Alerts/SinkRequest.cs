namespace Strata.TestKit.Alerts;

/// <summary>One request as <see cref="WebhookSink"/> received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">Path and query.</param>
/// <param name="Headers">Headers, names in lower case.</param>
/// <param name="Body">The body, as text.</param>
/// <param name="Status">What the sink answered.</param>
public sealed record SinkRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
{
    /// <summary>The body as JSON.</summary>
    public System.Text.Json.Nodes.JsonObject Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!.AsObject();
}

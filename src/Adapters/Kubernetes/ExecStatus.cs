using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Commands;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// Reads the <c>Status</c> an exec ends with (status channel, v4 and later): <c>Success</c> is exit
/// 0; <c>NonZeroExitCode</c> carries the code in a cause of reason <c>ExitCode</c>; any other
/// failure (the runtime could not run the command, the container is gone) leaves the code unknown.
/// </summary>
internal static class ExecStatus
{
    public static CommandExit Read(ReadOnlySpan<byte> json, string stderr)
    {
        JsonObject? status = null;
        try
        {
            status = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (status is null)
        {
            var text = Encoding.UTF8.GetString(json);
            return new CommandExit(null, stderr, "the exec's status could not be read: " + (text.Length > 200 ? text[..200] + "…" : text));
        }

        if (Text(status["status"]) == "Success")
        {
            return new CommandExit(0, stderr);
        }

        var reason = Text(status["reason"]);
        if (reason == "NonZeroExitCode" && (status["details"]?["causes"] as JsonArray)?
            .FirstOrDefault(c => Text(c?["reason"]) == "ExitCode") is { } cause
            && int.TryParse(Text(cause["message"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var exitCode))
        {
            return new CommandExit(exitCode, stderr);
        }

        return new CommandExit(null, stderr, Text(status["message"]) ?? reason ?? "the exec failed and the server said no more");
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

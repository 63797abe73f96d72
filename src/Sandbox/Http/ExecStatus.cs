using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// How an exec ended, as the kubelet writes it on the status channel (3): since
/// <c>v4.channel.k8s.io</c> a <c>Status</c> as JSON, success included; before it, the error's
/// message as text and nothing on success.
/// </summary>
internal static class ExecStatus
{
    public static JsonObject Success() => new() { ["metadata"] = new JsonObject(), ["status"] = "Success" };

    public static JsonObject NonZeroExit(IReadOnlyList<string> command, int exitCode)
    {
        var status = Failure($"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}", "NonZeroExitCode");
        status["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(CultureInfo.InvariantCulture) }),
        };
        return status;
    }

    /// <summary><c>apierrors.NewInternalError</c>: what the kubelet reports when the runtime could not run the command.</summary>
    public static JsonObject Internal(string error)
    {
        var status = Failure($"Internal error occurred: {error}", "InternalError");
        status["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = error }) };
        status["code"] = 500;
        return status;
    }

    /// <summary>The bytes to send on channel 3 for <paramref name="subprotocol"/>; empty: send nothing.</summary>
    public static byte[] Encode(JsonObject status, string subprotocol)
    {
        if (subprotocol.StartsWith("v4.", StringComparison.Ordinal) || subprotocol.StartsWith("v5.", StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(status.ToJsonString());
        }

        return status["status"]?.GetValue<string>() == "Success" ? [] : Encoding.UTF8.GetBytes(status["message"]?.GetValue<string>() ?? "");
    }

    private static JsonObject Failure(string message, string reason) =>
        new() { ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = message, ["reason"] = reason };
}

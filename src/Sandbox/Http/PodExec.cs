using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Security;

namespace Strata.Sandbox.Http;

/// <summary>
/// <c>pods/{name}/exec</c> over WebSocket, in the channel protocol kube-apiserver speaks
/// (<c>v4.channel.k8s.io</c> and older): stdout on channel 1, stderr on 2, the outcome as a
/// <c>Status</c> on channel 3. The sandbox runs no containers: the command's output comes from
/// <see cref="SandboxOptions.PodExec"/>, and without one the exec fails with a Status saying so.
/// </summary>
internal static class PodExec
{
    private static readonly string[] Protocols = ["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

    public static async Task HandleAsync(HttpContext http, SandboxApiServer server, RequestTarget.Objects target, SandboxUser user)
    {
        // Since Kubernetes 1.30 an exec over WebSocket needs "create" on pods/exec, as over SPDY.
        if (!server.Access.IsAllowed(user, "create", string.Empty, "pods/exec", target.Namespace))
        {
            throw ApiError.Forbidden(user.Name, "create", string.Empty, "pods/exec", target.Namespace, target.Name);
        }

        _ = server.Store.Get(target.Type, target.Namespace, target.Name!) ?? throw ApiError.NotFound("pods", target.Name!);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            throw ApiError.BadRequest("Upgrade request required");
        }

        var protocol = Protocols.FirstOrDefault(http.WebSockets.WebSocketRequestedProtocols.Contains)
            ?? throw ApiError.BadRequest($"none of the requested subprotocols is supported (supported: {string.Join(", ", Protocols)})");
        var command = http.Request.Query["command"].Where(c => c is not null).Select(c => c!).ToList();
        var request = new PodExecRequest(target.Namespace!, target.Name!, http.Request.Query["container"].FirstOrDefault(), command);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(protocol);
        var ct = http.RequestAborted;
        JsonObject status;
        if (server.Options.PodExec is { } run)
        {
            var result = await run(request, ct);
            await SendAsync(socket, 1, result.Stdout, ct);
            await SendAsync(socket, 2, result.Stderr, ct);
            status = result.ExitCode == 0 ? Status("Success") : NonZeroExit(command, result.ExitCode);
        }
        else
        {
            status = Status("Failure");
            status["message"] = "the Strata sandbox runs no containers: pods/exec has nothing to run the command in";
            status["reason"] = "InternalError";
        }

        await SendAsync(socket, 3, Encoding.UTF8.GetBytes(status.ToJsonString()), ct);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
    }

    private static async Task SendAsync(WebSocket socket, byte channel, byte[] data, CancellationToken cancellationToken)
    {
        if (data.Length == 0 && channel != 3)
        {
            return;
        }

        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame, 1);
        await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
    }

    private static JsonObject Status(string outcome) => new() { ["metadata"] = new JsonObject(), ["status"] = outcome };

    private static JsonObject NonZeroExit(IReadOnlyList<string> command, int exitCode)
    {
        var status = Status("Failure");
        status["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}";
        status["reason"] = "NonZeroExitCode";
        status["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
        return status;
    }
}

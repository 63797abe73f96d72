using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Security;

namespace Strata.Sandbox.Http;

/// <summary>
/// <c>pods/{name}/exec</c> over WebSocket, as kube-apiserver and the kubelet serve it: the checks
/// and their wording (RBAC on <c>pods/exec</c>, pod, container, host), the subprotocol (v5 when the
/// client offers it and the server speaks it, else the client's first the server speaks), then the
/// command's streams on their channels and its outcome on the status channel. The sandbox runs no
/// containers: the pod's bound handler (<see cref="SandboxApiServer.BindExec"/>), or
/// <see cref="SandboxOptions.PodExec"/>, runs the command.
/// </summary>
internal static class PodExec
{
    private const string V5 = "v5.channel.k8s.io";

    public static async Task HandleAsync(HttpContext http, SandboxApiServer server, RequestTarget.Objects target, SandboxUser user)
    {
        // Authorized before: since Kubernetes 1.30 an exec over WebSocket needs "create" on pods/exec, as over SPDY.
        var (ns, name) = (target.Namespace!, target.Name!);
        var pod = (server.Store.Get(target.Type, ns, name) ?? throw ApiError.NotFound("pods", name)).ToJson("v1", "Pod");
        var query = ExecQuery.Parse(http.Request.Query);
        var container = query.ResolveContainer(pod, name);
        var phase = pod["status"]?["phase"]?.GetValue<string>();
        if (pod["spec"]?["nodeName"]?.GetValue<string>() is null or "" && phase is null or "Pending")
        {
            throw ApiError.BadRequest($"pod {name} does not have a host assigned");
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            throw ApiError.BadRequest("Upgrade request required");
        }

        var subprotocol = Negotiate(http.WebSockets.WebSocketRequestedProtocols, server.Options.ExecSubprotocols);
        query.Validate();
        var running = phase == "Running";
        if (!running && subprotocol != V5)
        {
            // The kubelet refuses the upgrade with its error as text; kube-apiserver passes it on.
            await RefuseAsTextAsync(http, 500, $"container not found (\"{container}\")");
            return;
        }

        var request = new PodExecRequest(ns, name, container, query.Command) { Node = pod["spec"]?["nodeName"]?.GetValue<string>() };
        using var socket = await http.WebSockets.AcceptWebSocketAsync(subprotocol.Length == 0 ? null : subprotocol);
        using var connection = new ExecConnection(socket, subprotocol, query.Stdin, http.RequestAborted);

        // As kube-apiserver does: an empty message on the first output channel says the session is open.
        await connection.SendAsync(query.Stdout ? (byte)1 : query.Stderr ? (byte)2 : (byte)3, ReadOnlyMemory<byte>.Empty, connection.ClientGone);
        var status = running
            ? await RunAsync(server.ExecHandler(ns, name) ?? server.Options.PodExec ?? PodExecHandlers.NoContainers, request, subprotocol, query, connection, http)
            : ExecStatus.Internal($"unable to upgrade connection: container not found (\"{container}\")");
        if (status is not null)
        {
            await connection.FinishAsync(ExecStatus.Encode(status, subprotocol), http.RequestAborted);
        }
    }

    // The status to report; null when there is no one left to report it to.
    private static async Task<JsonObject?> RunAsync(
        PodExecHandler handler, PodExecRequest request, string subprotocol, ExecQuery query, ExecConnection connection, HttpContext http)
    {
        var session = new PodExecSession(request, subprotocol, connection.Stdin,
            connection.Channel(1, query.Stdout), connection.Channel(2, query.Stderr), http.Abort);
        try
        {
            var exitCode = await handler(session, connection.ClientGone);
            return session.IsAborted || connection.ClientGone.IsCancellationRequested ? null
                : exitCode == 0 ? ExecStatus.Success() : ExecStatus.NonZeroExit(request.Command, exitCode);
        }
        catch (Exception) when (session.IsAborted || connection.ClientGone.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return ExecStatus.Internal($"error executing command in container: {e.Message}");
        }
    }

    private static string Negotiate(IList<string> offered, IReadOnlyList<string> supported)
    {
        if (offered.Count == 0)
        {
            return string.Empty; // the kubelet's "" protocol: channel.k8s.io
        }

        // Since 1.30 kube-apiserver serves v5 itself whenever the client offers it; before, the kubelet takes the client's first it knows.
        return supported.Contains(V5) && offered.Contains(V5) ? V5
            : offered.FirstOrDefault(supported.Contains)
            ?? throw ApiError.BadRequest($"requested protocol(s) are not supported: [{string.Join(' ', offered)}]; supports [{string.Join(' ', supported)}]");
    }

    private static async Task RefuseAsTextAsync(HttpContext http, int code, string message)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }
}

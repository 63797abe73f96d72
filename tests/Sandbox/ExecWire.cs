using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Sandbox.Tests;

/// <summary>
/// A raw exec WebSocket to the sandbox, speaking the channel protocol by hand (no SDK): what a
/// kube-apiserver client sees on the wire, message by message.
/// </summary>
internal sealed class ExecWire : IDisposable
{
    private ExecWire(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public string? Subprotocol => Socket.SubProtocol;

    /// <summary>Opens <c>pods/{pod}/exec</c> in <paramref name="ns"/> with the query and subprotocols given.</summary>
    public static async Task<ExecWire> OpenAsync(SandboxApiServer server, string ns, string pod, string query, params string[] subprotocols)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(server.Certificates.Authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return cert is X509Certificate2 c && chain.Build(c);
        };
        socket.Options.SetRequestHeader("Authorization", $"Bearer {server.AdminToken}");
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var subprotocol in subprotocols)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        var uri = new UriBuilder(server.Url) { Scheme = "wss", Path = $"/api/v1/namespaces/{ns}/pods/{pod}/exec", Query = query }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new ExecWire(socket);
    }

    public static string Query(string[] command, bool stdin = false, string? container = null, string streams = "&stdout=1&stderr=1") =>
        string.Concat(command.Select(c => $"&command={Uri.EscapeDataString(c)}"))[1..] + streams + (stdin ? "&stdin=1" : "")
        + (container is null ? "" : $"&container={container}");

    public Task SendAsync(params byte[] message) =>
        Socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    public Task SendStdinAsync(string text) => SendAsync([0, .. Encoding.UTF8.GetBytes(text)]);

    /// <summary>The next whole message, or null when the server closed or dropped the connection.</summary>
    public async Task<(byte Channel, byte[] Data)?> ReceiveAsync()
    {
        var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    var bytes = message.ToArray();
                    return (bytes[0], bytes[1..]);
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    /// <summary>Every message until the connection ends, and whether it ended with a close frame (not a drop).</summary>
    public async Task<Transcript> ReadToEndAsync()
    {
        var messages = new List<(byte Channel, byte[] Data)>();
        while (await ReceiveAsync() is { } message)
        {
            messages.Add(message);
        }

        return new Transcript(messages, Socket.CloseStatus == WebSocketCloseStatus.NormalClosure);
    }

    public void Dispose() => Socket.Dispose();

    /// <summary>What the server sent.</summary>
    public sealed record Transcript(IReadOnlyList<(byte Channel, byte[] Data)> Messages, bool ClosedNormally)
    {
        public string Text(byte channel) => Encoding.UTF8.GetString([.. Messages.Where(m => m.Channel == channel).SelectMany(m => m.Data)]);

        public JsonObject? Status => Text(3) is { Length: > 0 } json ? JsonNode.Parse(json)!.AsObject() : null;
    }
}

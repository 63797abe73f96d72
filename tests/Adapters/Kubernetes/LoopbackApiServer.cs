using System.Net;
using System.Text;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// A plain-HTTP API server on 127.0.0.1 that answers from a script, one answer per request, and
/// keeps what each request sent: for tests that must see exactly what reached the wire and control
/// exactly what comes back (the sandbox answers as kube-apiserver does, so it cannot answer with a
/// field no model knows).
/// </summary>
internal sealed class LoopbackApiServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<(int Status, string Body)> _answers = new();
    private readonly List<SeenRequest> _requests = [];
    private readonly Task _serving;

    public LoopbackApiServer()
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<SeenRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Queues the next answer.</summary>
    public LoopbackApiServer Answer(int status, string body)
    {
        lock (_answers)
        {
            _answers.Enqueue((status, body));
        }

        return this;
    }

    /// <summary>A 503 with the server's <c>Status</c>, as an API server that is not ready answers.</summary>
    public LoopbackApiServer Unavailable() =>
        Answer(503, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server is currently unable to handle the request","reason":"ServiceUnavailable","code":503}""");

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            lock (_requests)
            {
                _requests.Add(new SeenRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, body));
            }

            (int Status, string Body) answer;
            lock (_answers)
            {
                answer = _answers.Count > 0 ? _answers.Dequeue() : (500, """{"kind":"Status","status":"Failure","message":"no answer scripted","reason":"InternalError","code":500}""");
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public sealed record SeenRequest(string Method, string PathAndQuery, string Body);
}

using System.Text;
using System.Text.Json.Nodes;
using Strata.TestKit;

namespace Strata.Sandbox.Tests.Http;

/// <summary>
/// <c>pods/exec</c> on the wire, as kube-apiserver speaks it: subprotocol negotiation, channels,
/// the v5 close signal, the status channel per protocol version, frames and backpressure, and the
/// refusals with their real wording.
/// </summary>
public sealed class PodExecTests : IAsyncLifetime
{
    private const string V5 = "v5.channel.k8s.io";
    private const string V4 = "v4.channel.k8s.io";
    private SandboxApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        _server.CreateNamespace("db");
        _server.Create(SampleApplication.Pod("db", "pg-0", null, "Running", container: "postgres"));
        _server.BindExec("db", "pg-0", new HostProcessExec().RunAsync);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Exec_V5CloseSignalOnStdin_CommandReadsToTheEnd()
    {
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["wc", "-c"], stdin: true), V5, V4);

        await wire.SendStdinAsync("hello");
        await wire.SendAsync(255, 0);
        var transcript = await wire.ReadToEndAsync();

        Assert.Equal(V5, wire.Subprotocol);
        Assert.Equal("5", transcript.Text(1).Trim());
        Assert.Equal("""{"metadata":{},"status":"Success"}""", transcript.Text(3));
        Assert.True(transcript.ClosedNormally);
    }

    [Fact]
    public async Task Exec_SessionOpens_WithAnEmptyMessageOnStdout()
    {
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["true"]), V5);

        var transcript = await wire.ReadToEndAsync();

        Assert.Equal((1, 0), (transcript.Messages[0].Channel, transcript.Messages[0].Data.Length));
    }

    [Theory]
    [InlineData(new[] { V5, V4 }, V5)]
    [InlineData(new[] { V4, V5 }, V5)] // since 1.30 kube-apiserver serves v5 itself whenever it is offered
    [InlineData(new[] { "v3.channel.k8s.io", V4 }, "v3.channel.k8s.io")] // otherwise the kubelet takes the client's first
    public async Task Exec_Offers_ServerChoosesAsKubeApiserver(string[] offered, string chosen)
    {
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["true"]), offered);

        await wire.ReadToEndAsync();

        Assert.Equal(chosen, wire.Subprotocol);
    }

    [Fact]
    public async Task Exec_ServerBefore130_TakesV4AndIgnoresTheCloseSignal()
    {
        await using var old = await SandboxApiServer.StartAsync(new SandboxOptions { ExecSubprotocols = SandboxOptions.ExecSubprotocolsBefore130 });
        old.CreateNamespace("db");
        old.Create(SampleApplication.Pod("db", "pg-0", null, "Running"));
        old.BindExec("db", "pg-0", new HostProcessExec().RunAsync);
        using var wire = await ExecWire.OpenAsync(old, "db", "pg-0", ExecWire.Query(["head", "-c", "5"], stdin: true), V5, V4);

        await wire.SendStdinAsync("hello, and more than head reads");
        await wire.SendAsync(255, 0); // only data on a channel v4 does not have
        var transcript = await wire.ReadToEndAsync();

        Assert.Equal(V4, wire.Subprotocol);
        Assert.Equal(("hello", """{"metadata":{},"status":"Success"}"""), (transcript.Text(1), transcript.Text(3)));
    }

    [Fact]
    public async Task Exec_NonZeroExit_StatusCarriesTheCodeAsACause()
    {
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["sh", "-c", "echo no >&2; exit 3"]), V5);

        var transcript = await wire.ReadToEndAsync();

        var status = transcript.Status!;
        Assert.Equal("no\n", transcript.Text(2));
        Assert.Equal(("Failure", "NonZeroExitCode"), (status.Str("status"), status.Str("reason")));
        Assert.Equal(("ExitCode", "3"), (status.Str("details.causes.0.reason"), status.Str("details.causes.0.message")));
        Assert.StartsWith("command terminated with non-zero exit code: ", status.Str("message"));
    }

    [Fact]
    public async Task Exec_ChannelK8sIo_StatusIsTextOnFailureAndNothingOnSuccess()
    {
        using var failed = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["sh", "-c", "exit 2"]), "channel.k8s.io");
        using var succeeded = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["true"]), "channel.k8s.io");

        var failure = await failed.ReadToEndAsync();
        var success = await succeeded.ReadToEndAsync();

        Assert.StartsWith("command terminated with non-zero exit code: ", failure.Text(3));
        Assert.Equal("", success.Text(3));
    }

    [Fact]
    public async Task Exec_LargeWrite_SentInFramesOfAtMost32KiB()
    {
        var output = new byte[1_000_000];
        Random.Shared.NextBytes(output);
        _server.BindExec("db", "pg-0", PodExecHandlers.Answer(output, 0, []));
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["dump"]), V5);

        var transcript = await wire.ReadToEndAsync();

        var stdout = transcript.Messages.Where(m => m.Channel == 1).ToList();
        Assert.All(stdout, m => Assert.True(m.Data.Length <= 32 * 1024));
        Assert.Equal(output, stdout.SelectMany(m => m.Data).ToArray());
    }

    [Fact]
    public async Task Exec_ClientNotReading_CommandIsHeldBack()
    {
        long written = 0;
        _server.BindExec("db", "pg-0", async (session, ct) =>
        {
            var chunk = new byte[32 * 1024];
            for (var i = 0; i < 32 * 1024; i++) // 1 GiB, were nothing to hold it back
            {
                await session.Stdout.WriteAsync(chunk, ct);
                Interlocked.Add(ref written, chunk.Length);
            }

            return 0;
        });
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["dump"]), V5);

        long before;
        do
        {
            before = Interlocked.Read(ref written);
            await Task.Delay(300);
        }
        while (Interlocked.Read(ref written) != before);

        // What socket buffers hold on the way, not the output: the writer waits for the reader.
        Assert.InRange(before, 1, 64L * 1024 * 1024);
    }

    [Fact]
    public async Task Exec_HandlerAborts_ConnectionDropsWithoutStatus()
    {
        _server.BindExec("db", "pg-0", async (session, ct) =>
        {
            await session.Stdout.WriteAsync(new byte[100_000], ct);
            session.Abort();
            return 0;
        });
        using var wire = await ExecWire.OpenAsync(_server, "db", "pg-0", ExecWire.Query(["dump"]), V5);

        var transcript = await wire.ReadToEndAsync();

        Assert.Null(transcript.Status);
        Assert.False(transcript.ClosedNormally);
    }

    [Fact]
    public async Task Exec_NoHandlerAnywhere_FailsSayingTheSandboxRunsNoContainers()
    {
        _server.Create(SampleApplication.Pod("db", "unbound", null, "Running"));
        using var wire = await ExecWire.OpenAsync(_server, "db", "unbound", ExecWire.Query(["ls"]), V5);

        var status = (await wire.ReadToEndAsync()).Status!;

        Assert.Equal(("InternalError", 500), (status.Str("reason"), status["code"]!.GetValue<int>()));
        Assert.Contains("runs no containers", status.Str("message"));
    }

    [Theory]
    [InlineData("missing", "command=ls&stdout=1", 404, "NotFound", "pods \"missing\" not found")]
    [InlineData("pg-0", "command=ls&stdout=1&container=sidecar", 400, "BadRequest", "container sidecar is not valid for pod pg-0")]
    [InlineData("two", "command=ls&stdout=1", 400, "BadRequest", "a container name must be specified for pod two, choose one of: [app sidecar]")]
    [InlineData("pending", "command=ls&stdout=1", 400, "BadRequest", "pod pending does not have a host assigned")]
    public async Task Exec_Refused_StatusWordedAsKubeApiserver(string pod, string query, int code, string reason, string message)
    {
        var two = SampleApplication.Pod("db", "two", null, "Running", container: "app");
        two["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "sidecar", ["image"] = "busybox" });
        _server.Create(two);
        _server.Create(SampleApplication.Pod("db", "pending", null, "Pending"));
        using var http = SandboxHttp.Create(_server, _server.AdminToken);

        var (status, body) = await http.GetJsonAsync($"/api/v1/namespaces/db/pods/{pod}/exec?{query}");

        Assert.Equal((code, reason, message), (status, body.Str("reason"), body.Str("message")));
    }

    [Theory]
    [InlineData("command=ls&stdout=1&tty=1", "the Strata sandbox allocates no terminals: tty=1 is not supported")]
    [InlineData("command=ls", "you must specify at least 1 of stdin, stdout, stderr")]
    public async Task Exec_RefusedOptions_BadRequestBeforeTheUpgrade(string query, string message)
    {
        var error = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => ExecWire.OpenAsync(_server, "db", "pg-0", query, V5));

        Assert.Contains("400", error.Message);
        Assert.Equal(message, (await StatusAfterUpgradeAsync(query)).Str("message"));
    }

    [Fact]
    public async Task Exec_FinishedPod_V5SaysContainerNotFoundOnTheStatusChannel_V4RefusesAsTheKubelet()
    {
        _server.Create(SampleApplication.Pod("db", "done", null, "Succeeded"));
        using var v5 = await ExecWire.OpenAsync(_server, "db", "done", ExecWire.Query(["ls"]), V5);
        var v4 = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => ExecWire.OpenAsync(_server, "db", "done", ExecWire.Query(["ls"]), V4));

        var status = (await v5.ReadToEndAsync()).Status!;

        Assert.Equal("Internal error occurred: unable to upgrade connection: container not found (\"main\")", status.Str("message"));
        Assert.Contains("500", v4.Message);
    }

    // A refusal's body, from the same request with the upgrade headers (a WebSocket client does not keep it).
    private async Task<JsonObject> StatusAfterUpgradeAsync(string query)
    {
        using var http = SandboxHttp.Create(_server, _server.AdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/db/pods/pg-0/exec?{query}");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef")));
        request.Headers.Add("Sec-WebSocket-Protocol", V5);
        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary><c>strata serve</c> in process on a free port, read over HTTP as a browser or a monitor would.</summary>
public sealed class ServeCommandTests : IAsyncLifetime
{
    private const string Hourly = """
          - name: hourly
            clusters: ["*"]
            schedule: "0 * * * *"
            rpo: 2h
        """;

    // Distinctive values for everything secret in strata.yaml's world: none may reach the page.
    private const string HookUrl = "https://hooks.example.com/services/T0SECRETHOOKPATH";
    private const string HookSecret = "hmac-4c0ffee-SECRET-VALUE";
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/SLACKSECRETTOKEN";

    private const string Alerts = """
        alerts:
          channels:
            - { name: audit, type: webhook, url: { env: HOOK_URL }, secret: { env: HOOK_SECRET } }
            - { name: platform, type: slack, url: { env: SLACK_URL } }
        """;

    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await ControlPlaneWorld.StartAsync(Hourly, alerts: Alerts);
        _world.Variables["HOOK_URL"] = HookUrl;
        _world.Variables["HOOK_SECRET"] = HookSecret;
        _world.Variables["SLACK_URL"] = SlackUrl;
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, _world.Variable, false, _world.Clock));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts <c>strata serve</c> on port 0, waits for its first line, and returns where it serves.</summary>
    private async Task<Server> ServeAsync(string address = "127.0.0.1")
    {
        var stdout = new LineWriter();
        var stderr = new StringWriter();
        var stop = new CancellationTokenSource();
        var run = StrataCli.RunAsync(
            ["serve", "--config", _world.ConfigPath, "--store", _world.Store, "--address", address, "--port", "0"],
            new CliEnvironment(stdout, TextWriter.Synchronized(stderr), _world.Variable, false, _world.Clock), stop.Token);
        var first = await stdout.Lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Matches(@"^strata: serving http://(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):\d+/$", first);
        var url = new Uri(first["strata: serving ".Length..]);
        Assert.NotEqual(0, url.Port);
        return new Server(url, run, stop, stderr);
    }

    [Fact]
    public async Task Serve_Page_ShowsTheFleetWithItsHeaders_AndNoSecret()
    {
        var (created, _, createdError) = await RunAsync("backup", "create", "--config", _world.ConfigPath, "--policy", "hourly", "--cluster", "prod", "--store", _world.Store);
        Assert.True(created == 0, createdError);
        await _world.Context.State.RecordDeliveryAsync("audit", _world.Clock.GetUtcNow(), $"POST {HookUrl} answered 410 Gone");
        await using var server = await ServeAsync();
        using var http = new HttpClient { BaseAddress = server.Url };

        using var response = await http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("<td data-cluster=\"prod\" data-policy=\"hourly\" data-state=\"fresh\" data-layers=\"objects\"", html);
        Assert.Contains("<td data-cluster=\"dr\" data-policy=\"hourly\" data-state=\"never-proven\"", html);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "<circle data-backup=").Count); // the backup, on the size and the objects chart
        Assert.Contains("<tr data-channel=\"audit\" data-state=\"failing\">", html);
        foreach (var secret in new[] { HookUrl, "T0SECRETHOOKPATH", HookSecret, SlackUrl, "SLACKSECRETTOKEN", _world.Prod.AdminToken, _world.Dr.AdminToken, _world.Prod.Url.Authority })
        {
            Assert.DoesNotContain(secret, html);
        }

        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("http://", html);
    }

    [Fact]
    public async Task Serve_EveryHttpFunctionWithAServePath_AnswersThereAsItsRowSays_TheOthersNowhere()
    {
        await using var server = await ServeAsync();
        using var http = new HttpClient { BaseAddress = server.Url };
        var served = Adapters.Hosting.HttpFunctions.All.Where(f => f.ServePath is not null).ToList();

        foreach (var function in served)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(function.Method.ToUpperInvariant()), function.ServePath));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function.Name} at {function.ServePath}: {response.StatusCode}");
        }

        Assert.Equal(["health", "status", "dashboard"], served.Select(f => f.Name));
        foreach (var function in Adapters.Hosting.HttpFunctions.All.Except(served))
        {
            using var response = await http.PostAsync("/" + function.Route, new StringContent("{}"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Serve_OneCluster_ShowsIt_AnUnknownOneIs404_StatusAndHealthAnswerJson()
    {
        await using var server = await ServeAsync();
        using var http = new HttpClient { BaseAddress = server.Url };

        using var dr = await http.GetAsync("/?cluster=dr");
        using var unknown = await http.GetAsync("/?cluster=staging");
        var status = JsonNode.Parse(await http.GetStringAsync("/status"))!;
        var health = JsonNode.Parse(await http.GetStringAsync("/health"))!;

        Assert.Equal(HttpStatusCode.OK, dr.StatusCode);
        var page = await dr.Content.ReadAsStringAsync();
        Assert.Contains("<tr data-cluster=\"dr\">", page);
        Assert.DoesNotContain("<tr data-cluster=\"prod\">", page);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("cluster &#39;staging&#39; is not in strata.yaml", await unknown.Content.ReadAsStringAsync());
        Assert.True(unknown.Headers.Contains("Content-Security-Policy"));
        Assert.Equal(["prod", "dr"], status["protection"]!.AsArray().Select(r => r!["cluster"]!.GetValue<string>()));
        Assert.Equal("Pending", status["protection"]![0]!["rpoState"]!.GetValue<string>());
        Assert.Equal(("ok", "1 policies, 2 clusters from strata.yaml"), (health["status"]!.GetValue<string>(), health["detail"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/status")]
    [InlineData("/metrics")]
    [InlineData("/health")]
    public async Task Serve_OnLoopback_ForeignHost_Answers400WithNothingOfTheFleet(string path)
    {
        // DNS rebinding: a page the operator visits points its own name at 127.0.0.1; the browser then sends that name as Host.
        await using var server = await ServeAsync();
        using var http = new HttpClient { BaseAddress = server.Url };

        foreach (var host in new[] { "rebind.example", $"rebind.example:{server.Url.Port}", $"127.0.0.1.rebind.example:{server.Url.Port}", "localhost.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Host {host}: {(int)response.StatusCode}");
            Assert.DoesNotContain("prod", body);
            Assert.DoesNotContain("strata_", body);
        }
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("LOCALHOST")]
    public async Task Serve_OnLoopback_LoopbackHost_IsAnswered(string name)
    {
        await using var server = await ServeAsync();
        using var http = new HttpClient { BaseAddress = server.Url };

        foreach (var host in new[] { name, $"{name}:{server.Url.Port}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/status");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Host {host}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Serve_OnEveryInterface_AnswersAnyHost_AndTheHelpSaysItIsUnprotected()
    {
        // The operator chose to serve beyond this machine: the Host is then whatever name reaches it, and protection is a proxy's job.
        await using var server = await ServeAsync("0.0.0.0");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Url.Port}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "strata.internal.example";

        using var response = await http.SendAsync(request);
        var (code, help, _) = await RunAsync("serve", "--help");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, code);
        Assert.Contains("authenticating proxy", help);
    }

    [Fact]
    public async Task Serve_CtrlC_StopsAndExits0()
    {
        var server = await ServeAsync();

        var code = await server.StopAsync();

        Assert.Equal(0, code);
    }

    [Theory]
    [InlineData("70000", "--port: 70000 is not a TCP port (0 to 65535; 0 picks a free one)")]
    [InlineData("-1", "--port: -1 is not a TCP port")]
    [InlineData("http", "'http'")]
    public async Task Serve_BadPort_Exits2SayingWhy(string port, string expected)
    {
        var (code, output, error) = await RunAsync("serve", "--config", _world.ConfigPath, "--store", _world.Store, "--port", port);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("serving", output);
    }

    [Fact]
    public async Task Serve_BadAddress_Exits2SayingWhy()
    {
        var (code, _, error) = await RunAsync("serve", "--config", _world.ConfigPath, "--store", _world.Store, "--address", "everywhere", "--port", "0");

        Assert.Equal(2, code);
        Assert.Contains("--address: 'everywhere' is not an IP address", error);
    }

    private sealed class Server(Uri url, Task<int> run, CancellationTokenSource stop, StringWriter stderr) : IAsyncDisposable
    {
        public Uri Url => url;

        public async Task<int> StopAsync()
        {
            await stop.CancelAsync();
            var code = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(code == 0, stderr.ToString());
            return code;
        }

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await StopAsync();
            }

            stop.Dispose();
        }
    }

    /// <summary>Standard output as lines, readable while the command still runs.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly StringBuilder _line = new();

        public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    Lines.Writer.TryWrite(_line.ToString().TrimEnd('\r'));
                    _line.Clear();
                }
                else
                {
                    _line.Append(value);
                }
            }
        }
    }
}


namespace Strata.Cli.Tests.Telemetry;

/// <summary><c>strata run --metrics-port</c>: the control plane's metrics on a port beside the runner, off by default.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class RunMetricsTests(ScrapedFleet fleet)
{
    private CliEnvironment Environment(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, name => name == "STRATA_HOME" ? fleet.World.Dir.Path : fleet.World.Variable(name), false, fleet.World.Clock);

    [Fact]
    public async Task Run_MetricsPortZero_ServesTheFleetsMetricsOnAFreePort_UntilStopped()
    {
        var stdout = new Lines();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = StrataCli.RunAsync(["run", "--config", fleet.World.ConfigPath, "--store", fleet.World.Store, "--metrics-port", "0"], Environment(stdout, new StringWriter()), stop.Token);

        var url = await stdout.WaitForAsync("strata: metrics at ", run);
        using var http = new HttpClient();
        var text = await http.GetStringAsync(url);
        await stop.CancelAsync();

        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        Assert.EndsWith("/metrics", url, StringComparison.Ordinal);
        Assert.Contains("strata_rpo_breached{cluster=\"dr\",policy=\"hourly\"} 1", text);
        Assert.Equal(0, await run);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync(url)); // stopped with the runner
    }

    [Theory]
    [InlineData("--metrics-port 70000", "--metrics-port 70000: a port is 0 to 65535")]
    [InlineData("--metrics-address 0.0.0.0", "--metrics-address needs --metrics-port")]
    [InlineData("--metrics-port 0 --metrics-address prometheus.local", "--metrics-address 'prometheus.local' is not an IP address")]
    [InlineData("--metrics-port 0 --metrics-address localhost", "--metrics-address localhost cannot take --metrics-port 0")]
    public async Task Run_BadMetricsOptions_FailWithAClearError(string options, string error)
    {
        var stderr = new StringWriter();

        var code = await StrataCli.RunAsync(["run", "--config", fleet.World.ConfigPath, "--store", fleet.World.Store, .. options.Split(' ')], Environment(new StringWriter(), stderr));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains(error, stderr.ToString());
    }

    /// <summary>Standard output as the command writes it from its own thread.</summary>
    private sealed class Lines : StringWriter
    {
        private readonly Lock _gate = new();

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value) => Write(value + NewLine);

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }

        /// <summary>The rest of the first line that starts with <paramref name="prefix"/>, once written (failing if <paramref name="command"/> ends first).</summary>
        public async Task<string> WaitForAsync(string prefix, Task<int> command)
        {
            for (var waited = 0; waited < 600; waited++)
            {
                if (ToString().Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                {
                    return line[prefix.Length..].Trim();
                }

                Assert.False(command.IsCompleted, $"strata run ended ({(command.IsCompletedSuccessfully ? command.Result : -1)}) before printing '{prefix}': {ToString()}");
                await Task.Delay(100);
            }

            throw new TimeoutException($"strata run did not print '{prefix}' within a minute: {ToString()}");
        }
    }
}

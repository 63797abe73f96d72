using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Strata.Adapters.Telemetry;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Core.Telemetry;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Cli.Tests.Telemetry;

/// <summary>
/// A fleet whose control plane ran, in process, through the queue functions: prod and dr backed up and verified, three
/// hours later prod again (dr is now past its 2 h RPO), and a scratch drill of prod's backup; then <c>/metrics</c> on a
/// Kestrel app on port 0 with <c>MetricsEndpoint.MapMetrics</c>, scraped once. The spans of that work are kept.
/// </summary>
public sealed class ScrapedFleet : IAsyncLifetime
{
    private const string Hourly = """
          - name: hourly
            clusters: ["*"]
            schedule: "0 * * * *"
            rpo: 2h
            verification:
              drill: { rto: 10m }
        """;

    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;
    private WebApplication? _app;

    public ControlPlaneWorld World { get; private set; } = null!;

    /// <summary>prod's second backup (the last verified one), dr's only one, and prod's drill.</summary>
    public BackupRecord Prod { get; private set; } = null!;

    public BackupRecord Dr { get; private set; } = null!;

    public DrillRecord Drill { get; private set; } = null!;

    /// <summary>The scrape's text and its samples.</summary>
    public string Text { get; private set; } = "";

    public IReadOnlyList<PrometheusSample> Samples { get; private set; } = [];

    /// <summary>Where the app answers.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every Strata span that ended while the fleet ran.</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans];

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StrataActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);

        World = await ControlPlaneWorld.StartAsync(Hourly, prodOptions: new SandboxOptions
        {
            Controllers = new SimulatedControllers
            {
                WorkloadReadyDelay = TimeSpan.FromMilliseconds(300),
                VolumeBindDelay = TimeSpan.FromMilliseconds(100),
                JobCompletionDelay = TimeSpan.FromMilliseconds(100),
            },
            NamespaceDeletionDelay = TimeSpan.FromMilliseconds(100),
        });
        await BackUpAsync("first-prod", "prod");
        Dr = await BackUpAsync("first-dr", "dr");
        World.Clock.Advance(TimeSpan.FromHours(3));
        Prod = await BackUpAsync("second-prod", "prod");

        // The drill waits on the sandbox's controllers, which run on real time: its own clock is the real one.
        var drill = new Envelope("drill-prod", "drill-prod", World.Clock.GetUtcNow(), new VerifyRequested(Prod.Id, "prod", "hourly", VerificationKind.Drill, RequestedBy: "test"));
        await InlinePipeline.RunAsync(World.Context with { Time = TimeProvider.System }, drill);
        Drill = (await World.Context.History.FindDrillAsync(DrillWorker.DrillIdFor(drill)))!;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        MetricsEndpoint.MapMetrics(_app, World.Context);
        await _app.StartAsync();
        Url = new Uri(new Uri(_app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException("no server")), MetricsEndpoint.Path);
        using var http = new HttpClient();
        Text = await http.GetStringAsync(Url);
        Samples = PrometheusSample.Parse(Text);
    }

    private async Task<BackupRecord> BackUpAsync(string messageId, string cluster)
    {
        var request = new Envelope(messageId, messageId, World.Clock.GetUtcNow(), new BackupRequested(cluster, "hourly", RequestedBy: "test"));
        await InlinePipeline.RunAsync(World.Context, request);
        return (await World.Context.History.FindBackupAsync(BackupWorker.BackupIdFor(request)))!;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _listener?.Dispose();
        await World.DisposeAsync();
    }
}

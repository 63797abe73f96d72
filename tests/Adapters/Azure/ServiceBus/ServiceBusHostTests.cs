using Azure.Messaging.ServiceBus;
using Strata.Adapters.Azure.ServiceBus;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.TestKit;
using Strata.TestKit.Azure.ServiceBus;

namespace Strata.Adapters.Tests.Azure.ServiceBus;

/// <summary>
/// The container host (<c>strata run --service-bus</c>) over two sandbox clusters, with Service Bus on the
/// SDK's test seams: what is completed, abandoned and dead-lettered, what follow-ups are sent, and the timers.
/// </summary>
public sealed class ServiceBusHostTests : IAsyncLifetime
{
    private readonly List<string> _log = [];

    /// <summary>The log so far, copied under its lock: the timers keep writing while a test reads it.</summary>
    private List<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }
    private readonly RecordingServiceBusClient _bus = new();
    private readonly CancellationTokenSource _stop = new();
    private ControlPlaneWorld _world = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync() => _world = await ControlPlaneWorld.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
        await _world.DisposeAsync();
    }

    private async Task StartAsync(TimeSpan? tick = null)
    {
        var host = new ServiceBusHost(_world.Context, _bus, new ServiceBusHostOptions
        {
            TimerPeriods = new Dictionary<string, TimeSpan> { ["schedule-tick"] = tick ?? TimeSpan.FromHours(1) },
        }, line => { lock (_log) { _log.Add(line); } });
        _running = host.RunAsync(_stop.Token);
        for (var i = 0; i < 200 && !_bus.Processors.Values.All(p => p.Started) || _bus.Processors.Count < ControlPlaneFunctions.Queue.Count; i++)
        {
            await Task.Delay(20);
        }
    }

    private static string Body(Envelope envelope) => MessageCodec.Serialize(envelope);

    private Envelope Request(string id) => new(id, id, _world.Clock.GetUtcNow(), new BackupRequested("prod", "minutely", RequestedBy: "ci"));

    [Fact]
    public async Task Start_OneProcessorPerWorkerQueue_PeekLock_SettledByTheHost()
    {
        await StartAsync();

        Assert.Equal([Queues.Alerts, Queues.Backups, Queues.Restores, Queues.Verifications], _bus.Processors.Keys.Order());
        Assert.All(_bus.Processors.Values, p =>
        {
            Assert.True(p.Started);
            Assert.False(p.Options.AutoCompleteMessages);
            Assert.Equal(ServiceBusReceiveMode.PeekLock, p.Options.ReceiveMode);
            Assert.Equal(TimeSpan.FromMinutes(30), p.Options.MaxAutoLockRenewalDuration);
        });
    }

    [Fact]
    public async Task Deliver_BackupRequest_RunsIt_SendsItsFollowUps_ThenCompletes()
    {
        await StartAsync();
        var request = Request("ci-1");

        var settlement = await _bus.Processors[Queues.Backups].DeliverAsync(Body(request), "ci-1");

        Assert.Equal(SettlementKind.Completed, settlement.Kind);
        var record = Assert.Single(await _world.Location.History.ListBackupsAsync().ToListAsync());
        Assert.Equal((BackupWorker.BackupIdFor(request), BackupStatus.Succeeded), (record.Id, record.Status));
        var completed = Assert.Single(_bus.SentTo(Queues.Events));
        Assert.Equal(($"completed-{record.Id}", "ci-1", "BackupCompleted"), (completed.MessageId, completed.CorrelationId, completed.Subject));
        Assert.Equal($"verify-{record.Id}", Assert.Single(_bus.SentTo(Queues.Verifications)).MessageId);
    }

    [Fact]
    public async Task Deliver_SameRequestTwice_RunsOnce_AndCompletesBoth()
    {
        await StartAsync();
        var body = Body(Request("ci-2"));

        var first = await _bus.Processors[Queues.Backups].DeliverAsync(body, "ci-2");
        var second = await _bus.Processors[Queues.Backups].DeliverAsync(body, "ci-2", deliveryCount: 2);

        Assert.Equal((SettlementKind.Completed, SettlementKind.Completed), (first.Kind, second.Kind));
        Assert.Single(await _world.Location.History.ListBackupsAsync().ToListAsync());
    }

    [Fact]
    public async Task Deliver_Malformed_IsDeadLetteredWithTheReason_RecordedAndAlerted()
    {
        await StartAsync();

        var settlement = await _bus.Processors[Queues.Backups].DeliverAsync("{ \"type\": \"BackupRequested\", \"payload\": ", "bad-1");

        Assert.Equal(SettlementKind.DeadLettered, settlement.Kind);
        Assert.Equal(ServiceBusHost.RejectedReason, settlement.Reason);
        Assert.StartsWith("not JSON", settlement.Description);
        var rejected = Assert.Single(await _world.Context.State.ListRejectedAsync().ToListAsync());
        Assert.Equal(("bad-1", Queues.Backups), (rejected.Key, rejected.Queue));
        Assert.Equal("AlertRaised", Assert.Single(_bus.SentTo(Queues.Alerts)).Subject);
        Assert.Empty(await _world.Location.History.ListBackupsAsync().ToListAsync());
    }

    [Fact]
    public async Task Deliver_NamingAClusterThatDoesNotExist_IsDeadLettered()
    {
        await StartAsync();
        var request = new Envelope("ci-3", "ci-3", _world.Clock.GetUtcNow(), new BackupRequested("qa", "adhoc"));

        var settlement = await _bus.Processors[Queues.Backups].DeliverAsync(Body(request), "ci-3");

        Assert.Equal(SettlementKind.DeadLettered, settlement.Kind);
        Assert.Contains("cluster 'qa' is not in", settlement.Description);
    }

    [Fact]
    public async Task Deliver_HandlerFails_IsAbandonedForRedelivery_AndNothingIsSent()
    {
        await StartAsync();
        var request = Request("ci-4");
        Directory.CreateDirectory(Path.Combine(_world.Store, "history", "backups"));
        await File.WriteAllTextAsync(Path.Combine(_world.Store, "history", "backups", BackupWorker.BackupIdFor(request) + ".json"), "{ broken");

        var settlement = await _bus.Processors[Queues.Backups].DeliverAsync(Body(request), "ci-4");

        Assert.Equal(SettlementKind.Abandoned, settlement.Kind);
        Assert.Empty(_bus.Sent);
        Assert.Contains(Log, l => l.Contains("abandoned, the queue redelivers it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliver_FollowUpCannotBeSent_IsAbandoned_NotCompleted()
    {
        await StartAsync();
        _bus.FailSend = queue => queue == Queues.Events
            ? new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy)
            : null;

        var settlement = await _bus.Processors[Queues.Backups].DeliverAsync(Body(Request("ci-5")), "ci-5");

        // Redelivery finds the finished run and repeats only its follow-ups (their ids are derived).
        Assert.Equal(SettlementKind.Abandoned, settlement.Kind);
        _bus.FailSend = null;
        var again = await _bus.Processors[Queues.Backups].DeliverAsync(Body(Request("ci-5")), "ci-5", deliveryCount: 2);
        Assert.Equal(SettlementKind.Completed, again.Kind);
        Assert.Single(await _world.Location.History.ListBackupsAsync().ToListAsync());
        Assert.Single(_bus.SentTo(Queues.Events));
    }

    [Fact]
    public async Task Timers_ScheduleTick_SendsTheDueBackupsToTheBackupsQueue()
    {
        await StartAsync(tick: TimeSpan.FromMilliseconds(50));
        await Task.Delay(150); // first seen: nothing due yet

        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 200 && _bus.SentTo(Queues.Backups).Count < 2; i++)
        {
            await Task.Delay(20);
        }

        var requests = _bus.SentTo(Queues.Backups).Select(m => (BackupRequested)MessageCodec.Parse(m.Body.ToString()).Message!.Payload).ToList();
        Assert.Equal(["dr", "prod"], requests.Select(r => r.Cluster).Order());
        Assert.All(requests, r => Assert.NotNull(r.ScheduledFor));
    }

    [Fact]
    public async Task ReceiveRefused_IsLogged_SayingWhichRoleIsMissing()
    {
        await StartAsync();

        await _bus.Processors[Queues.Backups].RaiseErrorAsync(new UnauthorizedAccessException("Unauthorized access. 'Listen' claim(s) are required. TrackingId:7"));

        Assert.Contains(Log, l => l.StartsWith("strata-backups: Receive: ", StringComparison.Ordinal) && l.Contains("'Azure Service Bus Data Receiver' role", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_StopsTheProcessors_AndReturns()
    {
        await StartAsync();

        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(_bus.Processors.Values, p => Assert.True(p.Stopped));
        Assert.Contains(Log, l => l == "stopped");
    }
}

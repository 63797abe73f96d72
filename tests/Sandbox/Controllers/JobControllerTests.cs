namespace Strata.Sandbox.Tests.Controllers;

public class JobControllerTests
{
    private const string Jobs = "/apis/batch/v1/namespaces/drill/jobs";

    [Fact]
    public async Task Job_RunsThenCompletesAfterTheDelay_WithThe131Conditions()
    {
        await using var s = await SandboxSession.StartAsync(
            new SandboxOptions { Controllers = new SimulatedControllers { JobCompletionDelay = TimeSpan.FromMinutes(5) } }, "drill");

        await s.PostAsync(Jobs, Fixtures.Job("drill", "migrate"));
        var (_, running) = await s.GetAsync($"{Jobs}/migrate");
        s.Clock.Advance(TimeSpan.FromMinutes(5));
        var (_, done) = await s.UntilAsync($"{Jobs}/migrate", (_, j) => j.Str("status.succeeded") == "1");

        Assert.Equal(("1", null), (running.Str("status.active"), running["status"]!["conditions"]?.ToJsonString()));
        Assert.NotNull(running.Str("status.startTime"));
        Assert.Equal(["SuccessCriteriaMet", "Complete"], done["status"]!["conditions"]!.AsArray().Select(c => c.Str("type")));
        Assert.Equal(("True", "CompletionsReached", "Reached expected number of succeeded pods"), done.Condition("Complete"));
        Assert.Equal(("True", "CompletionsReached"), done.StatusAndReason("SuccessCriteriaMet"));
        Assert.Equal(running.Str("status.startTime"), done.Str("status.startTime"));
        Assert.NotNull(done.Str("status.completionTime"));
        Assert.Equal((null, "0", "0"), (done.Str("status.active"), done.Str("status.ready"), done.Str("status.terminating")));
    }

    [Fact]
    public async Task Job_ThatFails_ReportsBackoffLimitExceeded()
    {
        await using var s = await SandboxSession.StartAsync(
            new SandboxOptions { Controllers = new SimulatedControllers { JobFails = j => j.Name.StartsWith("broken", StringComparison.Ordinal) } }, "drill");

        await s.PostAsync(Jobs, Fixtures.Job("drill", "broken-migrate", backoffLimit: 2));
        var (_, failed) = await s.GetAsync($"{Jobs}/broken-migrate");

        Assert.Equal(["FailureTarget", "Failed"], failed["status"]!["conditions"]!.AsArray().Select(c => c.Str("type")));
        Assert.Equal(("True", "BackoffLimitExceeded", "Job has reached the specified backoff limit"), failed.Condition("Failed"));
        Assert.Equal(("3", null, null), (failed.Str("status.failed"), failed.Str("status.succeeded"), failed.Str("status.completionTime")));
        Assert.Null(failed.Condition("Complete").Status);
    }
}

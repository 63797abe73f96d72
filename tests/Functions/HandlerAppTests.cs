using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Strata.TestKit;

namespace Strata.Functions.Tests;

public class HandlerAppTests
{
    [Fact]
    public async Task Health_WithoutConfiguration_AnswersUnhealthyWithTheReason()
    {
        Assert.Null(Environment.GetEnvironmentVariable("STRATA_CONFIG"));
        await using var app = HandlerApp.Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.PostAsJsonAsync("/health", new { Data = new { req = new { Method = "GET" } }, Metadata = new { } });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(response.IsSuccessStatusCode); // the invocation worked; the HTTP answer says unhealthy
        Assert.Equal(503, body!["Outputs"]!["res"]!["statusCode"]!.GetValue<int>());
        Assert.Contains("STRATA_CONFIG", body["Outputs"]!["res"]!["body"]!.GetValue<string>());
        await app.StopAsync();
    }

    [Fact]
    public async Task FromSettings_EtcdRehearsals_AreTheNoToolsOnes_WhoseReasonTheDrillReports()
    {
        using var home = new TempDirectory();
        var config = Path.Combine(home.Path, "strata.yaml");
        await File.WriteAllTextAsync(config, """
            clusters:
              - name: prod
                server: https://127.0.0.1:6443/
                token: { env: PROD_TOKEN }
            policies:
              - name: hourly
                clusters: ["*"]
                schedule: "0 * * * *"
            """);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { [AppSettings.Config] = config, [AppSettings.Home] = home.Path };

        var context = await HandlerApp.FromSettingsAsync(settings.GetValueOrDefault, CancellationToken.None);

        Assert.Same(NoEtcdTools.Instance, context.EtcdRehearsals);
        const string Reason = "a Functions app has no etcd tools (etcdutl or etcdctl, etcd): run 'strata drill run' or 'strata run' on a machine that has them for a full rebuild";
        Assert.Equal(Reason, context.EtcdRehearsals.Unavailable);
        var refused = await Assert.ThrowsAsync<Core.Etcd.EtcdRehearsalException>(() => context.EtcdRehearsals.RebuildAsync("snapshot.db", "drill"));
        Assert.Equal(Reason, refused.Message);
    }

    [Fact]
    public void Catalog_HasEveryControlPlaneFunction_WithItsQueueAndSchedule()
    {
        foreach (var queue in Core.ControlPlane.ControlPlaneFunctions.Queue)
        {
            Assert.Equal((TriggerKind.Queue, queue.Queue), (FunctionCatalog.Get(queue.Name).Trigger, FunctionCatalog.Get(queue.Name).Source));
        }

        foreach (var timer in Core.ControlPlane.ControlPlaneFunctions.Timer)
        {
            Assert.Equal((TriggerKind.Timer, timer.Schedule), (FunctionCatalog.Get(timer.Name).Trigger, FunctionCatalog.Get(timer.Name).Source));
        }

        Assert.Equal(
            ControlPlaneFunctionsCount(),
            FunctionCatalog.All.Count(f => f.Trigger is TriggerKind.Queue or TriggerKind.Timer));
    }

    [Fact]
    public void Catalog_HasEveryHttpFunctionRow_AsTheRowSaysAndNoOther()
    {
        foreach (var row in HttpFunctions.All)
        {
            var function = FunctionCatalog.Get(row.Name);
            Assert.Equal(
                (TriggerKind.Http, row.Route, row.Method, row.Access == HttpAccess.Anonymous, row.Role),
                (function.Trigger, function.Source, function.HttpMethod, function.Anonymous, function.Role));
            Assert.Equal(row.Sends, function.Sends);
        }

        Assert.Equal(HttpFunctions.All.Select(r => r.Name), FunctionCatalog.All.Where(f => f.Trigger == TriggerKind.Http).Select(f => f.Name));
    }

    private static int ControlPlaneFunctionsCount() => Core.ControlPlane.ControlPlaneFunctions.Queue.Count + Core.ControlPlane.ControlPlaneFunctions.Timer.Count;

    [Fact]
    public void Layout_OneFolderPerFunction_BindingsFromTheCatalog()
    {
        using var dir = new TempDirectory();

        FunctionCatalog.WriteLayout(dir.Path);

        foreach (var function in FunctionCatalog.All)
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, function.Name, "function.json")))!;
            var bindings = json["bindings"]!.AsArray();
            var trigger = bindings[0]!;
            Assert.Equal("in", trigger["direction"]!.GetValue<string>());
            Assert.Equal(function.TriggerBinding, trigger["name"]!.GetValue<string>());
            var outputs = bindings.Where(b => b!["type"]!.GetValue<string>() == "serviceBus").Select(b => b!["queueName"]!.GetValue<string>());
            Assert.Equal(function.Sends, outputs);
        }

        Assert.Equal("serviceBusTrigger", JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "backup-worker", "function.json")))!["bindings"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("0 * * * * *", JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "schedule-tick", "function.json")))!["bindings"]![0]!["schedule"]!.GetValue<string>());
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "host.json")))!;
        Assert.Equal(FunctionCatalog.Executable, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
    }

    [Fact]
    public void Layout_FunctionsThatStartWork_NeedAKeyAndARole_StatusAKey_HealthNothing()
    {
        string AuthLevel(string name) => FunctionCatalog.Get(name).FunctionJson()["bindings"]![0]!["authLevel"]!.GetValue<string>();

        Assert.Equal(
            [("request-backup", "function", AppRoles.Requester), ("request-restore", "function", AppRoles.Operator), ("request-drill", "function", AppRoles.Requester)],
            FunctionCatalog.All.Where(f => f.Sends.Count > 0 && f.Trigger == TriggerKind.Http).Select(f => (f.Name, AuthLevel(f.Name), f.Role!)));
        Assert.Equal(("function", null), (AuthLevel("status"), FunctionCatalog.Get("status").Role));
        Assert.Equal("anonymous", AuthLevel("health"));
        Assert.Equal(("drills", "post", "strata-verifications"), (FunctionCatalog.Get("request-drill").Source, FunctionCatalog.Get("request-drill").HttpMethod, Assert.Single(FunctionCatalog.Get("request-drill").Sends)));
    }

    [Fact]
    public void RepositoryHostJson_IsTheGeneratedOne()
    {
        using var dir = new TempDirectory();
        FunctionCatalog.WriteLayout(dir.Path);

        Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "host.json")), File.ReadAllText(Path.Combine(Repository.Root, "host.json")));
    }
}

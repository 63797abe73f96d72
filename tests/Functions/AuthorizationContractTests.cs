using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;

namespace Strata.Functions.Tests;

/// <summary>
/// Who may start work over HTTP, as the Functions host drives the handler: function keys alone with App Service
/// Authentication off; with it on, the app role each function needs, read from the principal App Service passes in the
/// request's headers; the caller recorded on the run; restores only into the clusters the backup's policy allows.
/// </summary>
public sealed class AuthorizationContractTests
{
    private const string Alice = "alice@contoso.com";

    private static async Task<Handler> StartAsync(RequestAuthorization authorization, string? policies = null)
    {
        var world = await ControlPlaneWorld.StartAsync(policies);
        var app = HandlerApp.Build(["--urls", "http://127.0.0.1:0"], _ => Task.FromResult(world.Context), authorization);
        await app.StartAsync();
        return new Handler(world, app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    private static string AliceWith(params string[] roles) => Principals.Person(Alice, Principals.AliceObjectId, roles);

    private static string AliceIdentity => $"{Alice} (object id {Principals.AliceObjectId})";

    [Fact]
    public async Task RequestBackup_FunctionKeyOnly_AuthenticationOff_Answers202_AndTheBackupRecordsTheKey()
    {
        await using var handler = await StartAsync(RequestAuthorization.KeysOnly);

        var (status, response) = await handler.PostAsync("request-backup",
            Principals.Request("backups", """{"cluster":"prod","policy":"minutely","requestedBy":"github-actions/run-1"}""", keyName: "ci-pipeline"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(202, Res(response).Status);
        var sent = Assert.Single(Output(response, "backups"));
        Assert.Equal("function-key:ci-pipeline (stated: github-actions/run-1)", sent["payload"]!["requestedBy"]!.GetValue<string>());
        var record = await handler.RunBackupAsync(sent);
        Assert.Equal("function-key:ci-pipeline (stated: github-actions/run-1)", record.RequestedBy);
    }

    [Fact]
    public async Task RequestBackup_AuthenticationOff_AForgedPrincipalHeaderIsIgnored()
    {
        await using var handler = await StartAsync(RequestAuthorization.KeysOnly);

        // Without App Service Authentication nothing strips a client's own header: it proves nothing.
        var (_, response) = await handler.PostAsync("request-backup",
            Principals.Request("backups", """{"cluster":"prod","policy":"minutely"}""", principal: Principals.Person("ceo@contoso.com", "0000", AppRoles.Operator), keyName: null));

        Assert.Equal(202, Res(response).Status);
        Assert.Equal("function-key", Assert.Single(Output(response, "backups"))["payload"]!["requestedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestBackup_AuthenticationOn_NoPrincipal_Answers401NamingTheRole_AndSendsNothing()
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);

        var (status, response) = await handler.PostAsync("request-backup", Principals.Request("backups", """{"cluster":"prod","policy":"minutely"}"""));

        Assert.Equal(HttpStatusCode.OK, status); // the invocation worked; the HTTP answer refuses
        var res = Res(response);
        Assert.Equal(401, res.Status);
        Assert.Equal("application/problem+json", res.Headers["Content-Type"]!.GetValue<string>());
        Assert.Equal("Bearer", res.Headers["WWW-Authenticate"]!.GetValue<string>());
        Assert.Equal(("urn:strata:problem:unauthenticated", 401, AppRoles.Requester),
            (res.Body["type"]!.GetValue<string>(), res.Body["status"]!.GetValue<int>(), res.Body["requiredRole"]!.GetValue<string>()));
        Assert.Contains("no X-MS-CLIENT-PRINCIPAL header", res.Body["detail"]!.GetValue<string>());
        Assert.Empty(Output(response, "backups"));
    }

    [Fact]
    public async Task RequestBackup_AuthenticationOn_PrincipalWithoutTheRole_Answers403NamingTheRole()
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);

        var (_, response) = await handler.PostAsync("request-backup",
            Principals.Request("backups", """{"cluster":"prod","policy":"minutely"}""", principal: AliceWith("Strata.Reader")));

        var res = Res(response);
        Assert.Equal(403, res.Status);
        Assert.Equal(("urn:strata:problem:missing-role", AppRoles.Requester), (res.Body["type"]!.GetValue<string>(), res.Body["requiredRole"]!.GetValue<string>()));
        Assert.Equal($"request-backup needs the app role Strata.Requester; {AliceIdentity} has Strata.Reader", res.Body["detail"]!.GetValue<string>());
        Assert.Empty(Output(response, "backups"));
    }

    [Fact]
    public async Task RequestBackup_AuthenticationOn_Requester_Answers202_AndTheBackupRecordsWhoAsked()
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);

        var (_, response) = await handler.PostAsync("request-backup",
            Principals.Request("backups", """{"cluster":"prod","policy":"minutely","reason":"before upgrade"}""", principal: AliceWith(AppRoles.Requester), idempotencyKey: "upgrade-131"));

        Assert.Equal(202, Res(response).Status);
        var record = await handler.RunBackupAsync(Assert.Single(Output(response, "backups")));
        Assert.Equal(AliceIdentity, record.RequestedBy);
        Assert.Contains(response["Logs"]!.AsArray(), l => l!.GetValue<string>().EndsWith($"from {AliceIdentity}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestBackup_AuthenticationOn_ApplicationWithTheRole_IsRecordedByAppAndObjectId()
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);

        var (_, response) = await handler.PostAsync("request-backup",
            Principals.Request("backups", """{"cluster":"prod","policy":"minutely"}""", principal: Principals.Application("0c1f6a3e-ci", "9f540c2e-sp", AppRoles.Requester)));

        Assert.Equal(202, Res(response).Status);
        Assert.Equal("app 0c1f6a3e-ci (object id 9f540c2e-sp)", Assert.Single(Output(response, "backups"))["payload"]!["requestedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestRestore_AuthenticationOn_Requester_Answers403NamingOperator()
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);
        var backup = await handler.RunBackupAsync(Asked(new BackupRequested("prod", "minutely"), handler));

        var (_, response) = await handler.PostAsync("request-restore",
            Principals.Request("restores", $$"""{"backupId":"{{backup.Id}}","targetCluster":"dr"}""", principal: AliceWith(AppRoles.Requester)));

        var res = Res(response);
        Assert.Equal(403, res.Status);
        Assert.Equal(AppRoles.Operator, res.Body["requiredRole"]!.GetValue<string>());
        Assert.Contains("request-restore needs the app role Strata.Operator", res.Body["detail"]!.GetValue<string>());
        Assert.Empty(Output(response, "restores"));
    }

    [Fact]
    public async Task RequestRestore_AuthenticationOn_Operator_Answers202_AndTheRestoreRecordsWhoAsked()
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);
        var backup = await handler.RunBackupAsync(Asked(new BackupRequested("prod", "minutely"), handler));

        var (_, response) = await handler.PostAsync("request-restore",
            Principals.Request("restores", $$"""{"backupId":"{{backup.Id}}","targetCluster":"dr","includeNamespaces":["shop"],"reason":"INC-42"}""", principal: AliceWith(AppRoles.Operator)));

        var res = Res(response);
        Assert.Equal(202, res.Status);
        var sent = Assert.Single(Output(response, "restores"));
        var (status, _) = await handler.PostAsync("restore-worker", ServiceBus(sent));
        Assert.Equal(HttpStatusCode.OK, status);
        var record = Assert.Single(await handler.World.Location.History.ListRestoresAsync().ToListAsync());
        Assert.Equal((res.Body["runId"]!.GetValue<string>(), AliceIdentity), (record.Id, record.RequestedBy));
    }

    [Fact]
    public async Task RequestRestore_IntoAClusterThePolicyDoesNotAllow_Answers403WithTheReason_AndTheWorkerRefusesTheSameMessage()
    {
        const string ProdOnly = """
              - name: minutely
                clusters: [prod]
                schedule: "* * * * *"
            """;
        await using var handler = await StartAsync(RequestAuthorization.KeysOnly, ProdOnly);
        var backup = await handler.RunBackupAsync(Asked(new BackupRequested("prod", "minutely"), handler));
        var body = $$"""{"backupId":"{{backup.Id}}","targetCluster":"dr"}""";

        var (_, response) = await handler.PostAsync("request-restore", Principals.Request("restores", body));
        var (_, direct) = await handler.PostAsync("restore-worker", ServiceBus(MessageCodec.ToJson(new Envelope("sb-restore-1", "sb-restore-1", handler.World.Clock.GetUtcNow(), new RestoreRequested(backup.Id, "dr")))));

        var res = Res(response);
        Assert.Equal(403, res.Status);
        Assert.Equal("urn:strata:problem:restore-target-not-allowed", res.Body["type"]!.GetValue<string>());
        Assert.StartsWith($"backup {backup.Id} (policy minutely, cluster prod) may be restored only into prod, not into 'dr'", res.Body["detail"]!.GetValue<string>());
        Assert.Empty(Output(response, "restores"));
        Assert.Contains("may be restored only into prod", Assert.Single(Output(direct, "alerts"))["payload"]!["summary"]!.GetValue<string>());
        Assert.Empty(await handler.World.Location.History.ListRestoresAsync().ToListAsync());
    }

    [Theory]
    [InlineData("not base64 at all!", "the X-MS-CLIENT-PRINCIPAL header is not base64")]
    [InlineData("bm90IGpzb24gZXllczpvbmx5LXRva2Vu", "the X-MS-CLIENT-PRINCIPAL header is not base64 of JSON")] // "not json eyes:only-token"
    [InlineData("WzEsMl0=", "the X-MS-CLIENT-PRINCIPAL header is not a client principal")] // [1,2]
    [InlineData("eyJjbGFpbXMiOltdfQ==", "the X-MS-CLIENT-PRINCIPAL header names no one")] // {"claims":[]}
    public async Task RequestBackup_AuthenticationOn_UnreadablePrincipal_Answers401Named_WithoutRepeatingIt(string header, string expected)
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);

        var (status, response) = await handler.PostAsync("request-backup", Principals.Request("backups", """{"cluster":"prod","policy":"minutely"}""", principal: header));

        Assert.Equal(HttpStatusCode.OK, status);
        var res = Res(response);
        Assert.Equal(401, res.Status);
        Assert.Contains(expected, res.Body["detail"]!.GetValue<string>());
        Assert.Equal(AppRoles.Requester, res.Body["requiredRole"]!.GetValue<string>());
        Assert.DoesNotContain(header, response.ToJsonString());
        Assert.DoesNotContain("only-token", response.ToJsonString());
    }

    [Fact]
    public async Task Status_AuthenticationOn_NeedsNoRole()
    {
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles);

        var (_, response) = await handler.PostAsync("status", Principals.Request("status", "", method: "GET"));

        Assert.Equal(200, Res(response).Status);
    }

    [Fact]
    public async Task RequestDrill_AuthenticationOn_Requester_SendsADrillOfTheVerifiedBackup_NamingWhoAsked()
    {
        const string Drilled = """
              - name: minutely
                clusters: ["*"]
                schedule: "* * * * *"
                verification: { drill: { mode: dryRun } }
            """;
        await using var handler = await StartAsync(RequestAuthorization.WithAppRoles, Drilled);
        var (_, backedUp) = await handler.PostAsync("backup-worker", ServiceBus(MessageCodec.ToJson(Asked(new BackupRequested("prod", "minutely"), handler))));
        var backupId = Assert.Single(Output(backedUp, "verifications"))["payload"]!["backupId"]!.GetValue<string>();
        var drillBody = $$"""{"backupId":"{{backupId}}","cluster":"prod","policy":"minutely"}""";

        var (_, early) = await handler.PostAsync("request-drill", Principals.Request("drills", drillBody, principal: AliceWith(AppRoles.Requester)));
        await handler.PostAsync("verify-worker", ServiceBus(Assert.Single(Output(backedUp, "verifications"))));
        var (_, response) = await handler.PostAsync("request-drill", Principals.Request("drills", drillBody, principal: AliceWith(AppRoles.Requester)));

        Assert.Equal(409, Res(early).Status);
        Assert.Contains("only verified backups are drilled", Res(early).Body["error"]!.GetValue<string>());
        Assert.Equal(202, Res(response).Status);
        var sent = Assert.Single(Output(response, "verifications"));
        Assert.Equal(("drill", AliceIdentity), (sent["payload"]!["kind"]!.GetValue<string>(), sent["payload"]!["requestedBy"]!.GetValue<string>()));
        Assert.Equal(Res(response).Body["runId"]!.GetValue<string>(), DrillWorker.DrillIdFor(MessageCodec.Parse(sent.ToJsonString()).Message!));
    }

    private static Envelope Asked(MessagePayload payload, Handler handler) =>
        new("req-" + Guid.NewGuid().ToString("N")[..8], "req", handler.World.Clock.GetUtcNow(), payload);

    private static JsonObject ServiceBus(JsonNode body) => new()
    {
        ["Data"] = new JsonObject { ["message"] = body.DeepClone() },
        ["Metadata"] = new JsonObject { ["DeliveryCount"] = 1, ["MessageId"] = body["id"]!.GetValue<string>() },
    };

    private static List<JsonObject> Output(JsonObject response, string binding) =>
        (response["Outputs"]![binding] as JsonArray ?? []).Select(n => Assert.IsType<JsonObject>(n)).ToList();

    private static (int Status, JsonObject Headers, JsonObject Body) Res(JsonObject response)
    {
        var res = response["Outputs"]!["res"]!;
        return (res["statusCode"]!.GetValue<int>(), res["headers"]!.AsObject(), JsonNode.Parse(res["body"]!.GetValue<string>())!.AsObject());
    }

    private sealed class Handler(ControlPlaneWorld world, WebApplication app, HttpClient http) : IAsyncDisposable
    {
        public ControlPlaneWorld World => world;

        public async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string function, JsonObject payload)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
            using var response = await http.SendAsync(request);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
        }

        /// <summary>Runs the backup worker on <paramref name="message"/> (as sent) and returns the run it recorded.</summary>
        public async Task<Core.Runs.BackupRecord> RunBackupAsync(JsonObject message)
        {
            var (status, _) = await PostAsync("backup-worker", ServiceBus(message));
            Assert.Equal(HttpStatusCode.OK, status);
            var id = BackupWorker.BackupIdFor(MessageCodec.Parse(message.ToJsonString()).Message!);
            return (await world.Location.History.FindBackupAsync(id))!;
        }

        public Task<Core.Runs.BackupRecord> RunBackupAsync(Envelope message) => RunBackupAsync(MessageCodec.ToJson(message));

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            await world.DisposeAsync();
        }
    }
}

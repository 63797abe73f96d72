using System.Text.Json.Nodes;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Adapters.Hosting;

/// <summary>
/// The HTTP functions that start work — <c>request-backup</c> (POST backups), <c>request-restore</c> (POST restores),
/// <c>request-drill</c> (POST drills) — once the caller is authorized: the body (a payload, or a whole envelope) is
/// checked as the worker will check it, the caller is recorded as its requester, and the message is sent (202 with the
/// run it becomes). A restore into a cluster the backup's policy does not allow is refused here (403) and again by the worker.
/// </summary>
internal static class WorkRequests
{
    public static Task<HttpAnswer> BackupAsync(HttpCall call, CancellationToken cancellationToken) =>
        RunAsync("request-backup", call, (body, id, now, configuration) => Requests.Read<BackupRequested>(body, id, now, configuration), cancellationToken);

    public static Task<HttpAnswer> RestoreAsync(HttpCall call, CancellationToken cancellationToken) =>
        RunAsync("request-restore", call, (body, id, now, configuration) => Requests.Read<RestoreRequested>(body, id, now, configuration), cancellationToken);

    public static Task<HttpAnswer> DrillAsync(HttpCall call, CancellationToken cancellationToken) =>
        RunAsync("request-drill", call, (body, id, now, configuration) => Requests.Read<VerifyRequested>(DrillByDefault(body), id, now, configuration), cancellationToken);

    private static async Task<HttpAnswer> RunAsync(
        string function, HttpCall call, Func<string, string, DateTimeOffset, StrataConfiguration, (Envelope? Envelope, string? Error)> read, CancellationToken cancellationToken)
    {
        var (context, http) = (call.Context, call);
        var caller = call.Caller ?? throw new InvalidOperationException($"{function} starts work: its host must authorize the caller first");
        var result = new FunctionResult();
        var id = http.Headers.TryGetValue("Idempotency-Key", out var key) && !string.IsNullOrWhiteSpace(key) ? key : MessageIds.New("http");
        var now = context.Time.GetUtcNow();
        var (envelope, error) = read(http.Body, id, now, context.Configuration);
        if (envelope is null)
        {
            return Refused(result, function, 400, new JsonObject { ["error"] = error });
        }

        envelope = envelope with { Payload = Stamped(envelope.Payload, caller) };
        switch (envelope.Payload)
        {
            case RestoreRequested restore:
                var backup = await context.History.FindBackupAsync(restore.BackupId, cancellationToken);
                if (RestoreTargets.Refusal(context.Configuration, restore, backup) is { } forbidden)
                {
                    return backup is null
                        ? Refused(result, function, 404, Problems.Of("backup-not-found", "Backup not in the run history", 404, forbidden))
                        : Refused(result, function, 403, Problems.Of("restore-target-not-allowed", "Restore target not allowed", 403, forbidden));
                }

                break;
            case VerifyRequested { Kind: not VerificationKind.Drill }:
                return Refused(result, function, 400, new JsonObject { ["error"] = "payload.kind: request-drill asks for restore drills ('drill'); integrity checks follow every backup" });
            case VerifyRequested drill:
                if (DrillWorker.Refusal(context.Configuration, drill, await context.History.FindBackupAsync(drill.BackupId, cancellationToken)) is { } refusal)
                {
                    return Refused(result, function, 409, new JsonObject { ["error"] = refusal });
                }

                break;
        }

        result.Send(envelope);
        var runId = envelope.Payload switch
        {
            BackupRequested => BackupWorker.BackupIdFor(envelope),
            RestoreRequested => RestoreWorker.RestoreIdFor(envelope),
            _ => DrillWorker.DrillIdFor(envelope),
        };
        result.Log($"{function}: accepted {envelope.Id} (run {runId}) from {caller.Identity}");
        return HttpAnswer.Json(202, new JsonObject { ["runId"] = runId, ["message"] = MessageCodec.ToJson(envelope) }, result);
    }

    // The caller's proven identity goes on the run; what the body stated stays beside it.
    private static MessagePayload Stamped(MessagePayload payload, HttpCaller caller) => payload switch
    {
        BackupRequested backup => backup with { RequestedBy = caller.RequestedBy(backup.RequestedBy) },
        RestoreRequested restore => restore with { RequestedBy = caller.RequestedBy(restore.RequestedBy) },
        VerifyRequested verify => verify with { RequestedBy = caller.RequestedBy(verify.RequestedBy) },
        _ => payload,
    };

    // POST drills with a bare payload means a drill: "kind" may be left out.
    private static string DrillByDefault(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject payload && !payload.ContainsKey("payload") && !payload.ContainsKey("kind"))
            {
                payload["kind"] = "drill";
                return payload.ToJsonString();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Requests.Read says what is wrong with it.
        }

        return body;
    }

    private static HttpAnswer Refused(FunctionResult result, string function, int status, JsonObject body)
    {
        result.Log($"{function}: refused ({status}): {body["detail"] ?? body["error"]}");
        return HttpAnswer.Json(status, body, result);
    }
}

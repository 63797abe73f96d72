using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The job controller, simulated: a Job starts when it is created (unless suspended) and, after
/// <see cref="SimulatedControllers.JobCompletionDelay"/>, succeeds with the conditions a 1.31+
/// controller writes (<c>SuccessCriteriaMet</c>, then <c>Complete</c>, reason <c>CompletionsReached</c>)
/// or, for a <see cref="SimulatedControllers.JobFails"/> Job, fails (<c>FailureTarget</c>, then
/// <c>Failed</c>, reason <c>BackoffLimitExceeded</c>).
/// </summary>
internal sealed class JobController(ObjectRequests objects, ControllerQueue queue, SimulatedControllers settings, TimeProvider time) : IObjectObserver
{
    private const string Manager = "kube-controller-manager";

    public void Written(ObjectWrite write)
    {
        if (write.Type.Key != "jobs.batch" || !write.IsCreate || write.Object["spec"]?["suspend"]?.GetValue<bool>() == true)
        {
            return;
        }

        var metadata = write.Object["metadata"]!;
        var (ns, name, uid) = (metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>(), metadata["uid"]!.GetValue<string>());
        queue.AddAfter(TimeSpan.Zero, () => Report(write.Type, ns, name, uid, finished: false));
        queue.AddAfter(settings.JobCompletionDelay, () => Report(write.Type, ns, name, uid, finished: true));
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
    }

    private void Report(ResourceType type, string ns, string name, string uid, bool finished) =>
        objects.Change(type, ns, name, "status", job =>
        {
            var previous = job["status"] as JsonObject;
            if (job["metadata"]!["uid"]?.GetValue<string>() != uid || Conditions.StatusOf(previous, "Complete") == "True" || Conditions.StatusOf(previous, "Failed") == "True")
            {
                return null;
            }

            var now = Timestamps.Now(time);
            var spec = job["spec"] as JsonObject;
            var status = new JsonObject();
            var start = previous?["startTime"]?.GetValue<string>() ?? now;
            if (!finished)
            {
                status["startTime"] = start;
                status["active"] = StatusFields.Int(spec?["parallelism"], 1);
            }
            else if (settings.JobFails?.Invoke(SandboxObject.From(job)) == true)
            {
                const string Reason = "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit";
                Conditions.Set(status, Conditions.Style.ProbeTime, "FailureTarget", "True", Reason, Message, now);
                Conditions.Set(status, Conditions.Style.ProbeTime, "Failed", "True", Reason, Message, now);
                status["startTime"] = start;
                status["failed"] = StatusFields.Int(spec?["backoffLimit"], 6) + 1;
            }
            else
            {
                const string Reason = "CompletionsReached", Message = "Reached expected number of succeeded pods";
                Conditions.Set(status, Conditions.Style.ProbeTime, "SuccessCriteriaMet", "True", Reason, Message, now);
                Conditions.Set(status, Conditions.Style.ProbeTime, "Complete", "True", Reason, Message, now);
                status["startTime"] = start;
                status["completionTime"] = now;
                status["succeeded"] = StatusFields.Int(spec?["completions"], 1);
            }

            status["terminating"] = 0;
            status["uncountedTerminatedPods"] = new JsonObject();
            status["ready"] = 0;
            job["status"] = status;
            return job;
        }, Manager);
}

using Strata.Sandbox.Http;

namespace Strata.Sandbox;

/// <summary>
/// A validating admission webhook (Gatekeeper, Kyverno, a controller-runtime webhook). A refusal
/// is the webhook's status with the message <c>admission webhook "NAME" denied the request: WHY</c>,
/// as kube-apiserver wraps it; by default 403 Forbidden, as controller-runtime's <c>Denied</c> answers.
/// </summary>
public sealed record AdmissionWebhook(string Name, Func<AdmissionRequest, string?> Check) : AdmissionRule(Name, Check)
{
    /// <summary>The HTTP code of the webhook's status (below 400 becomes 400, as the server does).</summary>
    public int Code { get; init; } = 403;

    /// <summary>The reason of the webhook's status; null leaves the Status without one, as many webhooks do.</summary>
    public string? Reason { get; init; } = "Forbidden";

    /// <summary>
    /// Whether the webhook declares <c>sideEffects: None</c> (or <c>NoneOnDryRun</c>); when false a
    /// dry run is refused with 400 <c>admission webhook "NAME" does not support dry run</c>.
    /// </summary>
    public bool SupportsDryRun { get; init; } = true;

    internal override ApiError Refusal(AdmissionRequest request, string why) =>
        new(Math.Max(Code, 400), Reason ?? string.Empty, $"admission webhook \"{Name}\" denied the request: {why}");

    internal override ApiError? Precondition(AdmissionRequest request) =>
        request.DryRun && !SupportsDryRun ? ApiError.BadRequest($"admission webhook \"{Name}\" does not support dry run") : null;
}

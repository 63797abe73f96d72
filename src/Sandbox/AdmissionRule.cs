using Strata.Sandbox.Http;

namespace Strata.Sandbox;

/// <summary>
/// A validating admission check the sandbox runs on every create and update of a resource
/// (not of its subresources), <c>dryRun=All</c> included, after the built-in validation, as
/// kube-apiserver runs validating webhooks and ValidatingAdmissionPolicies.
/// <see cref="Check"/> returns why the request is refused, or null to admit it.
/// </summary>
public abstract record AdmissionRule(string Name, Func<AdmissionRequest, string?> Check)
{
    /// <summary>The operations the rule is called for: <c>CREATE</c>, <c>UPDATE</c> (deletes are not put to rules).</summary>
    public IReadOnlyCollection<string> Operations { get; init; } = ["CREATE", "UPDATE"];

    /// <summary>The refusal the API server answers with, in the real wording.</summary>
    internal abstract ApiError Refusal(AdmissionRequest request, string why);

    /// <summary>A refusal before the check is called (a webhook that cannot be called on a dry run).</summary>
    internal virtual ApiError? Precondition(AdmissionRequest request) => null;
}

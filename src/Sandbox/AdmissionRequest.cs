namespace Strata.Sandbox;

/// <summary>
/// What an admission rule is asked about, as an <c>AdmissionReview</c> request carries it: the
/// operation (<c>CREATE</c>, <c>UPDATE</c>), the resource, the object as it would be stored and,
/// on an update, the object as it is.
/// </summary>
public sealed record AdmissionRequest(
    string Operation, string Group, string Resource, string? Namespace, string Name, SandboxObject Object, SandboxObject? OldObject, bool DryRun)
{
    /// <summary>The object's kind, e.g. <c>Deployment</c>.</summary>
    public string Kind => Object.Kind;
}

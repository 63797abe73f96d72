namespace Strata.Sandbox.Security;

/// <summary>One authorization decision, as <see cref="AccessControl.Decisions"/> records it.</summary>
public sealed record AccessDecision(string User, AccessRequest Request, bool Allowed, string Reason);

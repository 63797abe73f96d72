namespace Strata.Core.Coverage;

/// <summary>A container image repository that runs a database (a row of <see cref="DatabaseImages.Table"/>).</summary>
/// <param name="Repository">The repository's last path segment, without tag or digest (<c>postgres</c>, <c>postgresql</c>).</param>
/// <param name="Engine">The database it runs, in words (<c>PostgreSQL</c>).</param>
/// <param name="Reason">Whose image it is and why it holds state.</param>
public sealed record DatabaseImage(string Repository, string Engine, string Reason);

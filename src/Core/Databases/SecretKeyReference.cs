namespace Strata.Core.Databases;

/// <summary>One key of a Kubernetes Secret (<c>passwordSecret: {name, key}</c>), read through the API when a dump starts.</summary>
/// <param name="Name">The Secret's name, in the target's namespace.</param>
/// <param name="Key">The key under <c>data</c>.</param>
public sealed record SecretKeyReference(string Name, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}[{Key}]";
}

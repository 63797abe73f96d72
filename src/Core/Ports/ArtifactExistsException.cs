namespace Strata.Core.Ports;

/// <summary>The store refused to overwrite an existing artifact.</summary>
public sealed class ArtifactExistsException(string key)
    : IOException($"artifact '{key}' already exists and is never overwritten")
{
    /// <summary>The key.</summary>
    public string Key { get; } = key;
}

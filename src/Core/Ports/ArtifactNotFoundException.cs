namespace Strata.Core.Ports;

/// <summary>No artifact has that key.</summary>
public sealed class ArtifactNotFoundException(string key) : IOException($"artifact '{key}' does not exist")
{
    /// <summary>The key.</summary>
    public string Key { get; } = key;
}

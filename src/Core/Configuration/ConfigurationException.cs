namespace Strata.Core.Configuration;

/// <summary>A configuration file has problems; the message lists each with file, line and field.</summary>
public sealed class ConfigurationException(string source, IReadOnlyList<ConfigurationError> errors)
    : Exception($"{source}: {errors.Count} problem{(errors.Count == 1 ? "" : "s")}:" + string.Concat(errors.Select(e => "\n  " + e)))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;
}

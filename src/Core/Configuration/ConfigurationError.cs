namespace Strata.Core.Configuration;

/// <summary>One problem in a configuration file, located.</summary>
public sealed record ConfigurationError(string Source, int Line, int Column, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source}:{Line}:{Column}: " + (Field.Length > 0 ? $"{Field}: " : "") + Message;
}

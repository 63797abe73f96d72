namespace Strata.Core.Kubernetes;

/// <summary>Why a JSONPath expression could not be read, and where.</summary>
/// <param name="Offset">The position in the expression (0 for its first character).</param>
/// <param name="Message">What is wrong there, and what was expected.</param>
public sealed record JsonPathError(int Offset, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"at character {Offset + 1}: {Message}";
}

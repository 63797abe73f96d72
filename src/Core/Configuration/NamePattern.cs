using System.Text.RegularExpressions;

namespace Strata.Core.Configuration;

/// <summary>A name, or a glob with <c>*</c> (any run of characters) and <c>?</c> (one character).</summary>
/// <param name="Text">As written.</param>
public sealed record NamePattern(string Text)
{
    /// <summary>Whether the text has a wildcard (rather than naming one thing).</summary>
    public bool IsGlob => Text.Contains('*') || Text.Contains('?');

    /// <summary>Whether <paramref name="name"/> matches.</summary>
    public bool Matches(string name) => IsGlob
        ? Regex.IsMatch(name, "^" + Regex.Escape(Text).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.None, TimeSpan.FromSeconds(1))
        : name == Text;

    /// <inheritdoc />
    public override string ToString() => Text;
}

using System.Text.RegularExpressions;

namespace Strata.Core.Configuration;

/// <summary>Selects clusters by name (with <c>*</c> and <c>?</c> globs) or by tag (<c>tag:KEY</c> or <c>tag:KEY=VALUE</c>).</summary>
public sealed record ClusterSelector(string Text)
{
    /// <summary>Whether <paramref name="cluster"/> is selected.</summary>
    public bool Matches(ClusterDefinition cluster)
    {
        if (Text.StartsWith("tag:", StringComparison.Ordinal))
        {
            var tag = Text[4..];
            var equals = tag.IndexOf('=');
            return equals < 0
                ? cluster.Tags.ContainsKey(tag)
                : cluster.Tags.TryGetValue(tag[..equals], out var value) && value == tag[(equals + 1)..];
        }

        return Text.Contains('*') || Text.Contains('?')
            ? Regex.IsMatch(cluster.Name, "^" + Regex.Escape(Text).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.None, TimeSpan.FromSeconds(1))
            : cluster.Name == Text;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

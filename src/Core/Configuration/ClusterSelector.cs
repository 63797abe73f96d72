namespace Strata.Core.Configuration;

/// <summary>Selects clusters by name (with <c>*</c> and <c>?</c> globs) or by tag (<c>tag:KEY</c> or <c>tag:KEY=VALUE</c>).</summary>
public sealed record ClusterSelector(string Text)
{
    /// <summary>Whether the selector names one cluster (not a glob, not a tag).</summary>
    public bool IsName => !Text.StartsWith("tag:", StringComparison.Ordinal) && !new NamePattern(Text).IsGlob;

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

        return new NamePattern(Text).Matches(cluster.Name);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

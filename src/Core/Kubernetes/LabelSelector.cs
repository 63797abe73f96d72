namespace Strata.Core.Kubernetes;

/// <summary>
/// A Kubernetes label selector in its string form (<c>tier!=cache,app in (web,api),!legacy</c>),
/// parsed and validated as the API server does, so a bad <c>--selector</c> is refused before any
/// request is made.
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    /// <summary>The selector that matches everything.</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>The requirements, all of which must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when the selector has no requirement.</summary>
    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the bad part.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(LabelRequirement.Parse(part.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Parses, returning false and a reason instead of throwing.</summary>
    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        try
        {
            selector = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            selector = Everything;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Whether an object with <paramref name="labels"/> is selected.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    /// <inheritdoc />
    public override string ToString() => string.Join(',', Requirements);

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }
}

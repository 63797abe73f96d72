using System.Text;

namespace Strata.Adapters.Azure.Table;

/// <summary>
/// Keys that sort newest first. Run ids begin with their start time (<c>yyyyMMdd-HHmmss-…</c>), so
/// ascending ids are oldest first; each character is mirrored within the id alphabet
/// (<c>-0-9a-z</c>), and a <c>~</c> (above the whole alphabet) ends the key, so that ascending keys
/// are descending ids even when one id is a prefix of another. The partition is the mirrored
/// year and month: a run's keys follow from its id alone, and one query over the table returns
/// every run newest first.
/// </summary>
public static class RunKeys
{
    private const string Alphabet = "-0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The partition key of run <paramref name="id"/>.</summary>
    public static string Partition(string id) => Mirror(id[..Math.Min(6, id.Length)]);

    /// <summary>The row key of run <paramref name="id"/>.</summary>
    public static string Row(string id) => Mirror(id);

    /// <summary>The run id a row key was made from.</summary>
    public static string IdOf(string rowKey) => Mirror(rowKey.TrimEnd('~')).TrimEnd('~');

    private static string Mirror(string text)
    {
        var key = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            var index = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (index < 0)
            {
                throw new ArgumentException($"run id '{text}' has '{c}', which is not a lowercase letter, digit or hyphen");
            }

            key.Append(Alphabet[Alphabet.Length - 1 - index]);
        }

        return key.Append('~').ToString();
    }
}

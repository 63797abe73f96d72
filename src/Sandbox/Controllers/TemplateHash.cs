using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The suffix controllers give what they derive from a pod template (a Deployment's ReplicaSet,
/// a StatefulSet's revision): a 32-bit FNV-1a hash, printed in decimal and mapped onto the
/// alphabet of <c>rand.SafeEncodeString</c> (no vowels, no confusable digits), as in <c>web-5d4f8b9c7</c>.
/// </summary>
internal static class TemplateHash
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Of(JsonNode? template)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(template?.ToJsonString() ?? "{}"))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return string.Concat(hash.ToString(CultureInfo.InvariantCulture).Select(c => Alphabet[c % Alphabet.Length]));
    }
}

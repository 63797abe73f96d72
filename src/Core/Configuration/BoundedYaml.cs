using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Loads YAML into YamlDotNet's node tree after checking, on its event stream, that collections nest no deeper than
/// <see cref="MaxDepth"/>. The node tree is built recursively: a file of <c>[[[[…</c> or <c>- - - -…</c> a hundred
/// thousand deep overflowed the stack and ended the process (found by fuzzing <c>strata.yaml</c>); the event stream is
/// read without recursion, so a deep file is one clear <see cref="YamlException"/> with its line instead.
/// </summary>
public static class BoundedYaml
{
    /// <summary>The deepest nesting of mappings and sequences accepted: a strata.yaml or kubeconfig needs under ten.</summary>
    public const int MaxDepth = 64;

    /// <summary>Loads <paramref name="yaml"/>; a <see cref="YamlException"/> when it is not YAML or nests too deep.</summary>
    public static YamlStream Load(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            return LoadBounded(yaml);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way, without a position, on some malformed flow collections
            // (`{ a: [[b, c: d }`, found by fuzzing): still text that is not valid YAML, not a crash.
            throw new YamlException(Mark.Empty, Mark.Empty, $"the YAML parser gave up ({e.GetType().Name}: {e.Message})");
        }
    }

    private static YamlStream LoadBounded(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    throw new YamlException(parser.Current.Start, parser.Current.End,
                        $"collections nest more than {MaxDepth} deep; no configuration needs that many");
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream;
    }
}

using System.Globalization;
using Strata.Core.Ports;
using Strata.Core.Scheduling;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads the YAML nodes of <c>strata.yaml</c> into values and collects every problem with its
/// line, column and field path, so the loader can report all of them at once.
/// </summary>
internal sealed class ConfigurationReader(string source, ITimeZones zones)
{
    public List<ConfigurationError> Errors { get; } = [];

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public YamlNode? Load(string yaml)
    {
        try
        {
            var stream = BoundedYaml.Load(yaml);
            if (stream.Documents.Count == 0)
            {
                Errors.Add(new ConfigurationError(source, 1, 1, "", "the file is empty"));
                return null;
            }

            return stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            // The parser's message says what it expected; it does not echo the document.
            Errors.Add(new ConfigurationError(source, (int)e.Start.Line, (int)e.Start.Column, "", $"not valid YAML: {e.Message}"));
            return null;
        }
    }

    public void Error(YamlNode node, string path, string message) =>
        Errors.Add(new ConfigurationError(source, (int)node.Start.Line, (int)node.Start.Column, path, message));

    public void Error(int line, string path, string message) => Errors.Add(new ConfigurationError(source, line, 1, path, message));

    /// <summary>
    /// An error at character <paramref name="offset"/> of a scalar's value: its own column when the value
    /// is written on one line as it reads (plain, or quoted without escapes), else the scalar's start.
    /// </summary>
    public void Error(YamlScalarNode node, int offset, string path, string message)
    {
        var quoted = node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        var written = (int)(node.End.Column - node.Start.Column) - (quoted ? 2 : 0);
        var exact = node.Start.Line == node.End.Line && node.Style is ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
            && written == (node.Value?.Length ?? 0);
        var column = (int)node.Start.Column + (exact ? (quoted ? 1 : 0) + offset : 0);
        Errors.Add(new ConfigurationError(source, (int)node.Start.Line, column, path, message));
    }

    /// <summary>Where the configuration was read, for messages.</summary>
    public string Source => source;

    public YamlMappingNode? Mapping(YamlNode node, string path)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, path, "expected a mapping (key: value lines)");
        return null;
    }

    public string? Scalar(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Error(node, path, "expected a single value");
        return null;
    }

    public YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value) ? value : null;

    public void OnlyKeys(YamlMappingNode map, string path, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                var near = allowed.FirstOrDefault(a => a.Equals(name, StringComparison.OrdinalIgnoreCase));
                Error(key, Join(path, name), $"unknown field '{name}'" + (near is null ? $" (expected one of: {string.Join(", ", allowed)})" : $" (did you mean '{near}'?)"));
            }
        }
    }

    public List<T> List<T>(YamlMappingNode map, string key, bool required, Func<ConfigurationReader, YamlNode, string, T?> read, string parentPath = "")
    {
        var path = Join(parentPath, key);
        var items = new List<T>();
        if (Child(map, key) is not { } node)
        {
            if (required)
            {
                Error(map, path, $"'{key}' is required");
            }

            return items;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, "expected a list");
            return items;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (read(this, sequence.Children[i], $"{path}[{i}]") is { } item)
            {
                items.Add(item);
            }
        }

        if (required && sequence.Children.Count == 0)
        {
            Error(node, path, "must not be empty");
        }

        return items;
    }

    public string? Name(YamlMappingNode map, string path)
    {
        if (Child(map, "name") is not { } node)
        {
            Error(map, Join(path, "name"), "'name' is required");
            return null;
        }

        var name = Scalar(node, Join(path, "name"));
        if (name is not null && (name.Length is 0 or > 63 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || name[0] == '-' || name[^1] == '-'))
        {
            Error(node, Join(path, "name"), $"'{name}' must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit");
            return null;
        }

        return name;
    }

    public string? OptionalString(YamlMappingNode map, string path, string key) =>
        Child(map, key) is { } node ? Scalar(node, Join(path, key)) : null;

    public bool? OptionalBool(YamlMappingNode map, string path, string key)
    {
        if (OptionalString(map, path, key) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(map.Children[new YamlScalarNode(key)], Join(path, key), $"'{text}' is not true or false");
        return null;
    }

    public int? OptionalInt(YamlMappingNode map, string path, string key, int min, int max)
    {
        if (OptionalString(map, path, key) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(map.Children[new YamlScalarNode(key)], Join(path, key), $"'{text}' is not a whole number from {min} to {max}");
        return null;
    }

    /// <summary>A fraction written as a percentage (<c>50%</c>) or a number between 0 and 1 (<c>0.5</c>).</summary>
    public double? Fraction(YamlMappingNode map, string path, string key)
    {
        if (Child(map, key) is not { } node || Scalar(node, $"{path}.{key}") is not { } text)
        {
            return null;
        }

        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1].TrimEnd() : text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && (percent ? value is >= 0 and <= 100 : value is >= 0 and <= 1))
        {
            return percent ? value / 100 : value;
        }

        Error(node, $"{path}.{key}", $"'{text}' is not a percentage (0%–100%) or a fraction (0–1)");
        return null;
    }

    public TimeSpan? Duration(YamlMappingNode map, string path, string key)
    {
        if (OptionalString(map, path, key) is not { } text)
        {
            return null;
        }

        if (DurationText.TryParse(text, out var duration))
        {
            return duration;
        }

        Error(map.Children[new YamlScalarNode(key)], Join(path, key), $"'{text}' is not a duration such as 30m, 26h, 1h30m, 90d or 2w");
        return null;
    }

    public CronSchedule? Cron(YamlMappingNode map, string path, string key, bool required)
    {
        if (OptionalString(map, path, key) is not { } text)
        {
            if (required)
            {
                Error(map, Join(path, key), $"'{key}' is required (a cron expression, e.g. \"0 2 * * *\")");
            }

            return null;
        }

        if (CronSchedule.TryParse(text, out var schedule, out var error))
        {
            return schedule;
        }

        Error(map.Children[new YamlScalarNode(key)], Join(path, key), $"invalid cron expression '{text}': {error}");
        return null;
    }

    public TimeZoneInfo? TimeZone(YamlMappingNode map, string path, string key)
    {
        if (OptionalString(map, path, key) is not { } text)
        {
            return null;
        }

        if (zones.Find(text) is { } zone)
        {
            return zone;
        }

        Error(map.Children[new YamlScalarNode(key)], Join(path, key), $"'{text}' is not a time zone (use an IANA name such as Europe/Amsterdam)");
        return null;
    }

    /// <summary>
    /// A secret reference: <c>{env: NAME}</c>, <c>{file: PATH}</c> or <c>{keyVault: {vault: V, secret: S}}</c>.
    /// A plain value is refused without being repeated.
    /// </summary>
    public SecretReference? Secret(YamlMappingNode map, string path, string key, string? why = null)
    {
        if (Child(map, key) is not { } node)
        {
            return null;
        }

        var fieldPath = Join(path, key);
        const string Forms = "{env: VARIABLE}, {file: /path/to/file} or {keyVault: {vault: NAME, secret: NAME}}";
        if (node is not YamlMappingNode reference)
        {
            Error(node, fieldPath, $"{why ?? "secrets are never written in strata.yaml"}; reference one instead: {Forms}");
            return null;
        }

        OnlyKeys(reference, fieldPath, "env", "file", "keyVault");
        if (reference.Children.Count != 1)
        {
            Error(reference, fieldPath, $"give exactly one of {Forms}");
            return null;
        }

        if (OptionalString(reference, fieldPath, "env") is { } variable)
        {
            return new SecretReference(SecretSource.Environment, variable);
        }

        if (OptionalString(reference, fieldPath, "file") is { } file)
        {
            return new SecretReference(SecretSource.File, file);
        }

        if (Child(reference, "keyVault") is { } vaultNode && Mapping(vaultNode, Join(fieldPath, "keyVault")) is { } vault)
        {
            var vaultPath = Join(fieldPath, "keyVault");
            OnlyKeys(vault, vaultPath, "vault", "secret");
            var vaultName = OptionalString(vault, vaultPath, "vault");
            var secret = OptionalString(vault, vaultPath, "secret");
            if (vaultName is null || secret is null)
            {
                Error(vault, vaultPath, "needs both 'vault' (name or URL) and 'secret' (the secret's name)");
                return null;
            }

            return new SecretReference(SecretSource.KeyVault, secret, vaultName);
        }

        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted), Value: null or "" or "~" or "null" };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}

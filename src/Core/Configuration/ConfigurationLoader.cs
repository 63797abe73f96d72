using System.Globalization;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Retention;
using Strata.Core.Scheduling;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads <c>strata.yaml</c>. Every problem is collected and reported together, each naming the
/// file, line, column and field (<c>policies[1].retention.keepDaily</c>). Unknown fields are
/// errors (a misspelt <c>keepDialy</c> must not silently keep nothing). Secret values never appear
/// in the file — only references — and never in a message.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>Parses <paramref name="yaml"/>, read from <paramref name="source"/>; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public static StrataConfiguration Parse(string yaml, string source)
    {
        var reader = new Reader(source);
        var root = reader.Load(yaml);
        var clusters = new List<ClusterDefinition>();
        var policies = new List<PolicyDefinition>();
        if (root is not null && reader.Mapping(root, "") is { } top)
        {
            reader.OnlyKeys(top, "", "version", "clusters", "policies");
            if (reader.Child(top, "version") is { } version && reader.Scalar(version, "version") is { } text && text != "1")
            {
                reader.Error(version, "version", $"unsupported version '{text}' (this Strata reads version 1)");
            }

            clusters = reader.List(top, "clusters", required: true, ReadCluster);
            policies = reader.List(top, "policies", required: true, ReadPolicy);
            Duplicates(reader, top, "clusters", clusters.Select(c => (c.Name, c.Line)));
            Duplicates(reader, top, "policies", policies.Select(p => (p.Name, p.Line)));
            var configuration = new StrataConfiguration(clusters, policies, source);
            for (var i = 0; i < policies.Count; i++)
            {
                if (policies[i].Clusters.Count > 0 && configuration.ClustersOf(policies[i]).Count == 0)
                {
                    reader.Error(policies[i].Line, $"policies[{i}].clusters", $"[{string.Join(", ", policies[i].Clusters)}] matches no cluster");
                }
            }
        }

        return reader.Errors.Count > 0
            ? throw new ConfigurationException(source, reader.Errors)
            : new StrataConfiguration(clusters, policies, source);
    }

    private static void Duplicates(Reader reader, YamlMappingNode top, string field, IEnumerable<(string Name, int Line)> names)
    {
        foreach (var group in names.GroupBy(n => n.Name).Where(g => g.Count() > 1))
        {
            reader.Error(group.Last().Line, field, $"'{group.Key}' is defined more than once (lines {string.Join(", ", group.Select(g => g.Line))})");
        }
    }

    private static ClusterDefinition? ReadCluster(Reader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "kubeconfig", "context", "server", "certificateAuthority", "tlsServerName",
            "insecureSkipTlsVerify", "token", "clientCertificate", "clientKey", "entraId", "tags");
        var name = reader.Name(map, path);
        var server = reader.OptionalString(map, path, "server");
        Uri? serverUri = null;
        if (server is not null && (!Uri.TryCreate(server, UriKind.Absolute, out serverUri) || serverUri.Scheme is not ("https" or "http")))
        {
            reader.Error(map.Children[new YamlScalarNode("server")], $"{path}.server", $"'{server}' is not an http(s) URL");
        }

        var context = reader.OptionalString(map, path, "context");
        if (server is null && context is null)
        {
            reader.Error(map, path, "give either 'context' (a kubeconfig context) or 'server'");
        }
        else if (server is not null && context is not null)
        {
            reader.Error(map, path, "give either 'context' or 'server', not both");
        }

        var token = reader.Secret(map, path, "token");
        var certificate = reader.Secret(map, path, "clientCertificate");
        var key = reader.Secret(map, path, "clientKey");
        if ((certificate is null) != (key is null))
        {
            reader.Error(map, path, "'clientCertificate' and 'clientKey' go together");
        }

        var entraId = reader.OptionalBool(map, path, "entraId") ?? false;
        if (context is not null && (token is not null || certificate is not null || entraId))
        {
            reader.Error(map, path, "credentials come from the kubeconfig context; 'token', 'clientCertificate' and 'entraId' go with 'server'");
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Child(map, "tags") is { } tagsNode && reader.Mapping(tagsNode, $"{path}.tags") is { } tagMap)
        {
            foreach (var (k, v) in tagMap.Children)
            {
                if (reader.Scalar(k, $"{path}.tags") is { } tagKey && reader.Scalar(v, $"{path}.tags.{tagKey}") is { } tagValue)
                {
                    tags[tagKey] = tagValue;
                }
            }
        }

        return name is null ? null : new ClusterDefinition
        {
            Name = name,
            Kubeconfig = reader.OptionalString(map, path, "kubeconfig"),
            Context = context,
            Server = serverUri,
            CertificateAuthority = reader.OptionalString(map, path, "certificateAuthority"),
            TlsServerName = reader.OptionalString(map, path, "tlsServerName"),
            InsecureSkipTlsVerify = reader.OptionalBool(map, path, "insecureSkipTlsVerify") ?? false,
            Token = token,
            ClientCertificate = certificate,
            ClientKey = key,
            EntraId = entraId,
            Tags = tags,
            Line = Reader.LineOf(map),
        };
    }

    private static PolicyDefinition? ReadPolicy(Reader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "clusters", "schedule", "timeZone", "rpo", "scope", "gitops", "retention", "writeOnceDays", "verification");
        var name = reader.Name(map, path);
        var selectors = reader.List(map, "clusters", required: true, (r, n, p) => r.Scalar(n, p) is { Length: > 0 } s ? new ClusterSelector(s) : null, path);
        var schedule = reader.Cron(map, path, "schedule", required: true);
        var zone = reader.TimeZone(map, path, "timeZone") ?? TimeZoneInfo.Utc;
        var rpo = reader.Duration(map, path, "rpo");
        var scope = ReadScope(reader, map, path);
        if (reader.Child(map, "gitops") is { } gitopsNode && reader.Scalar(gitopsNode, $"{path}.gitops") is { } gitops)
        {
            if (gitops is not ("keep" or "skip"))
            {
                reader.Error(gitopsNode, $"{path}.gitops", $"'{gitops}' is not 'keep' or 'skip'");
            }

            scope = scope with { SkipGitOpsManaged = gitops == "skip" };
        }

        var writeOnceDays = reader.OptionalInt(map, path, "writeOnceDays", 0, 36500) ?? 0;
        VerificationSchedule? verification = null;
        if (reader.Child(map, "verification") is { } verificationNode && reader.Mapping(verificationNode, $"{path}.verification") is { } v)
        {
            var vPath = $"{path}.verification";
            reader.OnlyKeys(v, vPath, "schedule", "timeZone", "drill");
            var vSchedule = reader.Cron(v, vPath, "schedule", required: true);
            var vZone = reader.TimeZone(v, vPath, "timeZone") ?? zone;
            verification = vSchedule is null ? null : new VerificationSchedule(vSchedule, vZone, reader.OptionalBool(v, vPath, "drill") ?? false);
        }

        return name is null || schedule is null ? null : new PolicyDefinition
        {
            Name = name,
            Clusters = selectors,
            Schedule = schedule,
            TimeZone = zone,
            RecoveryPointObjective = rpo,
            Scope = scope,
            Retention = ReadRetention(reader, map, path),
            WriteOnceDays = writeOnceDays,
            Verification = verification,
            Line = Reader.LineOf(map),
        };
    }

    private static BackupScope ReadScope(Reader reader, YamlMappingNode policy, string policyPath)
    {
        if (reader.Child(policy, "scope") is not { } node || reader.Mapping(node, $"{policyPath}.scope") is not { } map)
        {
            return new BackupScope();
        }

        var path = $"{policyPath}.scope";
        reader.OnlyKeys(map, path, "includeNamespaces", "excludeNamespaces", "selector", "includeResources", "excludeResources", "clusterResources");
        IReadOnlyList<string> Strings(string field) => reader.List(map, field, required: false, (r, n, p) => r.Scalar(n, p), path);
        var selector = LabelSelector.Everything;
        if (reader.Child(map, "selector") is { } selectorNode && reader.Scalar(selectorNode, $"{path}.selector") is { } text)
        {
            if (!LabelSelector.TryParse(text, out selector, out var error))
            {
                reader.Error(selectorNode, $"{path}.selector", error ?? "invalid label selector");
            }
        }

        var clusterResources = ClusterResourcesMode.Auto;
        if (reader.Child(map, "clusterResources") is { } modeNode && reader.Scalar(modeNode, $"{path}.clusterResources") is { } mode
            && !Enum.TryParse(mode, ignoreCase: true, out clusterResources))
        {
            reader.Error(modeNode, $"{path}.clusterResources", $"'{mode}' is not auto, include or exclude");
        }

        return new BackupScope
        {
            IncludeNamespaces = Strings("includeNamespaces"),
            ExcludeNamespaces = Strings("excludeNamespaces"),
            Selector = selector,
            IncludeResources = Strings("includeResources"),
            ExcludeResources = Strings("excludeResources"),
            ClusterResources = clusterResources,
        };
    }

    private static RetentionRules ReadRetention(Reader reader, YamlMappingNode policy, string policyPath)
    {
        var defaults = new RetentionRules();
        if (reader.Child(policy, "retention") is not { } node || reader.Mapping(node, $"{policyPath}.retention") is not { } map)
        {
            return defaults;
        }

        var path = $"{policyPath}.retention";
        reader.OnlyKeys(map, path, "keepLast", "keepDaily", "keepWeekly", "keepMonthly", "maxAge", "minVerifiedKept");
        return new RetentionRules
        {
            KeepLast = reader.OptionalInt(map, path, "keepLast", 0, 100_000) ?? defaults.KeepLast,
            KeepDaily = reader.OptionalInt(map, path, "keepDaily", 0, 100_000) ?? 0,
            KeepWeekly = reader.OptionalInt(map, path, "keepWeekly", 0, 100_000) ?? 0,
            KeepMonthly = reader.OptionalInt(map, path, "keepMonthly", 0, 100_000) ?? 0,
            MaxAge = reader.Duration(map, path, "maxAge"),
            MinVerifiedKept = reader.OptionalInt(map, path, "minVerifiedKept", 1, 100_000) ?? defaults.MinVerifiedKept,
        };
    }

    private sealed class Reader(string source)
    {
        public List<ConfigurationError> Errors { get; } = [];

        public static int LineOf(YamlNode node) => (int)node.Start.Line;

        public YamlNode? Load(string yaml)
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(yaml));
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

        public List<T> List<T>(YamlMappingNode map, string key, bool required, Func<Reader, YamlNode, string, T?> read, string parentPath = "")
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

            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(text);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Error(map.Children[new YamlScalarNode(key)], Join(path, key), $"'{text}' is not a time zone (use an IANA name such as Europe/Amsterdam)");
                return null;
            }
        }

        /// <summary>
        /// A secret reference: <c>{env: NAME}</c>, <c>{file: PATH}</c> or <c>{keyVault: {vault: V, secret: S}}</c>.
        /// A plain value is refused without being repeated.
        /// </summary>
        public SecretReference? Secret(YamlMappingNode map, string path, string key)
        {
            if (Child(map, key) is not { } node)
            {
                return null;
            }

            var fieldPath = Join(path, key);
            const string Forms = "{env: VARIABLE}, {file: /path/to/file} or {keyVault: {vault: NAME, secret: NAME}}";
            if (node is not YamlMappingNode reference)
            {
                Error(node, fieldPath, $"secrets are never written in strata.yaml; reference one instead: {Forms}");
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
}

/// <summary>One problem in a configuration file, located.</summary>
public sealed record ConfigurationError(string Source, int Line, int Column, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source}:{Line}:{Column}: " + (Field.Length > 0 ? $"{Field}: " : "") + Message;
}

/// <summary>A configuration file has problems; the message lists each with file, line and field.</summary>
public sealed class ConfigurationException(string source, IReadOnlyList<ConfigurationError> errors)
    : Exception($"{source}: {errors.Count} problem{(errors.Count == 1 ? "" : "s")}:" + string.Concat(errors.Select(e => "\n  " + e)))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;
}

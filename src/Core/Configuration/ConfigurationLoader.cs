using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Retention;
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
    /// <param name="yaml">The text of the file.</param>
    /// <param name="source">Where it was read, for messages.</param>
    /// <param name="zones">Finds the time zones that policies name.</param>
    public static StrataConfiguration Parse(string yaml, string source, ITimeZones zones)
    {
        var reader = new ConfigurationReader(source, zones);
        var root = reader.Load(yaml);
        var clusters = new List<ClusterDefinition>();
        var policies = new List<PolicyDefinition>();
        var alerts = AlertsDefinition.None;
        SecretReference? heartbeat = null;
        var encryption = EncryptionSettings.None;
        if (root is not null && reader.Mapping(root, "") is { } top)
        {
            reader.OnlyKeys(top, "", "version", "clusters", "policies", "alerts", "heartbeat", "encryption");
            if (reader.Child(top, "version") is { } version && reader.Scalar(version, "version") is { } text && text != "1")
            {
                reader.Error(version, "version", $"unsupported version '{text}' (this Strata reads version 1)");
            }

            clusters = reader.List(top, "clusters", required: true, ReadCluster);
            policies = reader.List(top, "policies", required: true, (r, n, p) => ReadPolicy(r, n, p, clusters));
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

            encryption = reader.Child(top, "encryption") is { } encryptionNode ? EncryptionSettingsReader.Read(reader, encryptionNode) : encryption;
            EncryptionSettingsReader.CheckPolicies(reader, encryption, policies);
            if (reader.Child(top, "alerts") is { } alertsNode)
            {
                alerts = AlertsSection.Read(reader, alertsNode, configuration);
            }

            if (reader.Child(top, "heartbeat") is { } heartbeatNode && reader.Mapping(heartbeatNode, "heartbeat") is { } heartbeatMap)
            {
                reader.OnlyKeys(heartbeatMap, "heartbeat", "url");
                heartbeat = reader.Secret(heartbeatMap, "heartbeat", "url", "a ping URL is a credential (anyone with it can keep the check green)");
                if (heartbeat is null && reader.Child(heartbeatMap, "url") is null)
                {
                    reader.Error(heartbeatMap, "heartbeat", "'url' is required");
                }
            }
        }

        return reader.Errors.Count > 0
            ? throw new ConfigurationException(source, reader.Errors)
            : new StrataConfiguration(clusters, policies, source) { Alerts = alerts, Heartbeat = heartbeat, Encryption = encryption };
    }

    private static void Duplicates(ConfigurationReader reader, YamlMappingNode top, string field, IEnumerable<(string Name, int Line)> names)
    {
        foreach (var group in names.GroupBy(n => n.Name).Where(g => g.Count() > 1))
        {
            reader.Error(group.Last().Line, field, $"'{group.Key}' is defined more than once (lines {string.Join(", ", group.Select(g => g.Line))})");
        }
    }

    private static ClusterDefinition? ReadCluster(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "kubeconfig", "context", "server", "certificateAuthority", "tlsServerName",
            "insecureSkipTlsVerify", "token", "clientCertificate", "clientKey", "entraId", "tags", "etcd");
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
            Etcd = EtcdAccessReader.Read(reader, map, path),
            Tags = tags,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static PolicyDefinition? ReadPolicy(ConfigurationReader reader, YamlNode node, string path, IReadOnlyList<ClusterDefinition> clusters)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "clusters", "schedule", "timeZone", "rpo", "scope", "gitops", "retention", "writeOnceDays", "verification", "databases", "applications", "cloudNativePG", "volumes", "etcd", "encrypt", "restoreTargets");
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
        var etcd = EtcdSettingsReader.Read(reader, map, path);
        var verification = ReadVerification(reader, map, path, zone, clusters, etcd);
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
            Databases = DatabaseTargetReader.ReadAll(reader, map, path, clusters),
            Applications = ApplicationDumpReader.ReadAll(reader, map, path),
            CloudNativePG = CloudNativePgTargetReader.ReadAll(reader, map, path),
            Volumes = VolumeSettingsReader.Read(reader, map, path),
            Etcd = etcd,
            Encrypt = EncryptionSettingsReader.Mode(reader, map, path),
            RestoreTargets = RestoreTargetsReader.Read(reader, map, path, clusters),
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static VerificationSettings ReadVerification(
        ConfigurationReader reader, YamlMappingNode policy, string policyPath, TimeZoneInfo policyZone, IReadOnlyList<ClusterDefinition> clusters, Etcd.EtcdSettings? etcd)
    {
        var settings = new VerificationSettings();
        if (reader.Child(policy, "verification") is not { } node || reader.Mapping(node, $"{policyPath}.verification") is not { } map)
        {
            return settings;
        }

        var path = $"{policyPath}.verification";
        reader.OnlyKeys(map, path, "driftThreshold", "drill");
        return settings with
        {
            DriftThreshold = reader.Fraction(map, path, "driftThreshold") ?? settings.DriftThreshold,
            Drill = DrillSettingsReader.Read(reader, map, path, policyZone, clusters, etcd),
        };
    }

    private static BackupScope ReadScope(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
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

    private static RetentionRules ReadRetention(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
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
}

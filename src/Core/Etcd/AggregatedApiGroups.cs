using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Core.Etcd;

/// <summary>
/// The API groups a backup's cluster served through aggregated API servers, read from its objects: every
/// <c>APIService</c> (<c>apiservices.apiregistration.k8s.io</c>) in <c>resources.tar.gz</c> whose <c>spec.service</c>
/// is set hands its <c>spec.group</c> to another server (OLM's <c>packages.operators.coreos.com</c>,
/// <c>metrics.k8s.io</c>), whose objects are not kube-apiserver's to keep in etcd. The archive is read once, forward
/// only (<see cref="ResourceArchiveReader"/>), only the APIServices parsed.
/// </summary>
public static class AggregatedApiGroups
{
    private const string Group = "apiregistration.k8s.io";
    private const string Resource = "apiservices";

    /// <summary>
    /// The aggregated groups of the backup under <paramref name="backupPrefix"/>; empty when <paramref name="manifest"/>
    /// has no object archive. A missing or unreadable archive throws (<see cref="ArtifactNotFoundException"/>,
    /// <see cref="ArtifactRejectedException"/>).
    /// </summary>
    public static async Task<IReadOnlySet<string>> ReadAsync(
        IArtifactStore store, string backupPrefix, BackupManifest manifest, CancellationToken cancellationToken = default)
    {
        var groups = new SortedSet<string>(StringComparer.Ordinal);
        if (manifest.Artifacts.All(a => a.Path != ArtifactLayout.ResourcesArchive))
        {
            return groups;
        }

        await using var source = await store.OpenReadAsync(ArtifactLayout.ArtifactKey(backupPrefix, ArtifactLayout.ResourcesArchive), cancellationToken);
        var reader = new ResourceArchiveReader(source, ArtifactLayout.ResourcesArchive);
        await foreach (var entry in reader.ReadAsync(cancellationToken))
        {
            if (entry.Path is { Group: Group, Resource: Resource } && Aggregated(entry.Content) is { } group)
            {
                groups.Add(group);
            }
            else if (entry.Path is { Group: Group, Resource: Resource })
            {
                // A document that does not read names no group, unless it is hostile (nested past the limit).
                reader.ThrowIfNestedTooDeep(entry);
            }
        }

        return groups;
    }

    /// <summary>The group an APIService document hands to an aggregated server (its <c>spec.service</c> set); null for a local one or a document that does not read.</summary>
    public static string? Aggregated(byte[] apiService)
    {
        try
        {
            return JsonNode.Parse(apiService)?["spec"] is JsonObject { } spec && spec["service"] is JsonObject
                && spec["group"] is JsonValue value && value.TryGetValue<string>(out var group) && group.Length > 0
                ? group
                : null;
        }
        catch (JsonException)
        {
            // Verification judges the documents; here a document that does not read names no group.
            return null;
        }
    }
}

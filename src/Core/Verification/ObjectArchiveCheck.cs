using System.Globalization;
using System.Text.Json;
using Strata.Core.Artifacts;

namespace Strata.Core.Verification;

/// <summary>
/// The objects layer's check of <c>resources.tar.gz</c>: the gzip and tar structure reads to the end;
/// every entry's path is an object path of the layout; every entry parses as one JSON object whose
/// <c>apiVersion</c>, <c>metadata.name</c> and <c>metadata.namespace</c> agree with its path, and whose
/// <c>kind</c> is the same for every object of its resource. A path that appears twice, a document nested too deep
/// and the rest of what <see cref="ResourceArchiveReader"/> refuses fail the archive as a whole. Objects are
/// counted by resource and namespace for the verifier to compare with the manifest. Given the backup's data key, every
/// encrypted value of every Secret must decrypt (the plaintext is dropped at once).
/// </summary>
/// <param name="secretValuesKey">The data key the archive's Secret values are encrypted with; null when they are not.</param>
public sealed class ObjectArchiveCheck(Encryption.DataKey? secretValuesKey = null) : IArtifactCheck
{
    /// <inheritdoc />
    public string Name => "objects";

    /// <inheritdoc />
    public bool AppliesTo(ArtifactEntry artifact) => artifact.Path == ArtifactLayout.ResourcesArchive;

    /// <inheritdoc />
    public async Task<ArtifactCheckResult> CheckAsync(
        ArtifactEntry artifact, Stream content, BackupManifest manifest, VerificationFindings findings, CancellationToken cancellationToken = default)
    {
        var byResource = new Dictionary<string, long>(StringComparer.Ordinal);
        var byNamespace = new Dictionary<string, long>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        long entries = 0;
        long secrets = 0;
        var reader = new ResourceArchiveReader(content, artifact.Path);
        // One cipher context for the archive's Secrets (the check reads entries one at a time).
        using var values = secretValuesKey is null ? null : new Encryption.SecretValueKey(secretValuesKey);
        try
        {
            await foreach (var entry in reader.ReadAsync(cancellationToken))
            {
                entries++;
                var path = entry.Path;
                var (problem, kind) = CheckDocument(reader, entry);
                if (problem is not null)
                {
                    findings.Error("entry", problem.Message, artifact.Path, entry.RawPath, problem.Expected, problem.Found);
                    continue;
                }

                if (kinds.TryGetValue(path.QualifiedResource, out var first) && first != kind)
                {
                    findings.Error("entry", $"kind differs from the other {path.QualifiedResource} in the archive", artifact.Path, entry.RawPath, first, kind);
                    continue;
                }

                if (values is not null && path is { Group: "", Version: "v1", Resource: "secrets" })
                {
                    secrets++;
                    if (DecryptionProblem(entry, values) is { } undecryptable)
                    {
                        findings.Error("secret-values", undecryptable, artifact.Path, entry.RawPath);
                    }
                }

                kinds.TryAdd(path.QualifiedResource, kind);
                Increment(byResource, path.QualifiedResource);
                if (path.Namespace is { } ns)
                {
                    Increment(byNamespace, ns);
                }
            }
        }
        catch (ArtifactRejectedException e)
        {
            findings.Error("archive", e.Reason, artifact.Path);
            return new ArtifactCheckResult(Facts(entries, secrets), ReadToEnd: false);
        }

        if (entries == 0)
        {
            findings.Error("archive", "the archive holds no objects", artifact.Path);
        }

        var counts = new ObjectCounts(byResource.Values.Sum(), Sorted(byResource), Sorted(byNamespace));
        return new ArtifactCheckResult(Facts(entries, secrets), ReadToEnd: true, counts);
    }

    private Dictionary<string, string> Facts(long entries, long secrets)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["entries"] = entries.ToString(CultureInfo.InvariantCulture) };
        if (secretValuesKey is not null)
        {
            facts["secretsDecrypted"] = secrets.ToString(CultureInfo.InvariantCulture);
        }

        return facts;
    }

    /// <summary>Why a Secret's encrypted values do not all decrypt (never a value), or null when they do.</summary>
    private static string? DecryptionProblem(ResourceArchiveEntry entry, Encryption.SecretValueKey key)
    {
        try
        {
            // A check-only pass over the document's bytes: no tree, nothing re-encoded, each plaintext dropped at once.
            Encryption.SecretValues.CheckDocument(entry.Content, entry.RawPath, key);
            return null;
        }
        catch (Encryption.ArtifactDecryptionException e)
        {
            return e.Message;
        }
    }

    private static void Increment(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;

    private static SortedDictionary<string, long> Sorted(Dictionary<string, long> counts) => new(counts, StringComparer.Ordinal);

    private sealed record DocumentProblem(string Message, string? Expected = null, string? Found = null);

    /// <summary>What is wrong with one object document against its path (or null), and its kind.</summary>
    private static (DocumentProblem? Problem, string Kind) CheckDocument(ResourceArchiveReader reader, ResourceArchiveEntry entry)
    {
        var path = entry.Path;
        ObjectIdentity identity;
        try
        {
            identity = ObjectIdentity.Read(entry.Content);
        }
        catch (JsonException e)
        {
            reader.ThrowIfNestedTooDeep(entry);
            return (new DocumentProblem($"not a JSON object ({e.Message})"), "");
        }

        var apiVersion = path.Group.Length == 0 ? path.Version : $"{path.Group}/{path.Version}";
        var problem = identity.ApiVersion != apiVersion ? new DocumentProblem("apiVersion disagrees with the path", apiVersion, identity.ApiVersion ?? "none")
            : string.IsNullOrEmpty(identity.Kind) ? new DocumentProblem("the object has no kind")
            : identity.Name != path.Name ? new DocumentProblem("metadata.name disagrees with the path", path.Name, identity.Name ?? "none")
            : (identity.Namespace ?? "") != (path.Namespace ?? "") ? new DocumentProblem(
                "metadata.namespace disagrees with the path", path.Namespace ?? "none (cluster-scoped)", identity.Namespace ?? "none")
            : null;
        return (problem, identity.Kind ?? "");
    }
}

using Strata.Core.Configuration;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Restore;
using Strata.Core.Runs;

namespace Strata.Core.Drills;

/// <summary>
/// The assertions of a scratch drill — readiness for every restored workload, claim and Job, then the
/// user's — looked at every poll interval until all hold, one fails for good, or the timeout passes.
/// </summary>
internal sealed class AssertionWait(IClusterWriter target, TimeProvider time, DrillOptions options)
{
    /// <summary>
    /// The assertions for what <paramref name="restore"/> created, and the user's, resolved against <paramref name="discovery"/>;
    /// a user's assertion may only name a namespace of <paramref name="backupId"/> (one <paramref name="mapping"/> maps).
    /// Claims of a StorageClass in <paramref name="waitingForConsumer"/> bind only when a pod uses them (see <see cref="Readiness"/>).
    /// </summary>
    public static List<WatchedAssertion> Build(
        DrillSettings settings, RestoreRecord restore, NamespaceMapping mapping, DiscoveryResult discovery, string backupId, IReadOnlySet<string>? waitingForConsumer = null)
    {
        var watched = new List<WatchedAssertion>();
        if (settings.Readiness)
        {
            foreach (var item in restore.Items.Where(i => i.Outcome == RestoreItemOutcome.Created))
            {
                if (Readiness.WhatFor(item.Resource) is not { } what)
                {
                    continue;
                }

                var dot = item.Resource.IndexOf('.', StringComparison.Ordinal);
                var (plural, group) = dot < 0 ? (item.Resource, "") : (item.Resource[..dot], item.Resource[(dot + 1)..]);
                var description = $"{item.Resource} {(item.Namespace is null ? item.Name : $"{item.Namespace}/{item.Name}")}: {what}";
                watched.Add(discovery.Find(group, plural) is { } resource
                    ? new WatchedAssertion(description, true, resource, item.Namespace, item.Name, obj => Readiness.Read(item.Resource, obj, waitingForConsumer))
                    : WatchedAssertion.Impossible(description, $"the target no longer serves {item.Resource}"));
            }
        }

        foreach (var assertion in settings.Assertions)
        {
            watched.Add(Resolve(assertion, mapping, discovery, backupId));
        }

        return watched;
    }

    private static WatchedAssertion Resolve(DrillAssertion assertion, NamespaceMapping mapping, DiscoveryResult discovery, string backupId)
    {
        if (assertion.Namespace is { } unmapped && !mapping.Pairs.ContainsKey(unmapped))
        {
            // Map would return the name unchanged: the assertion would read the live original, not the restored copy.
            return WatchedAssertion.Impossible(assertion.Describe(unmapped),
                $"namespace {unmapped} is not in backup {backupId}: a scratch drill looks only at what it restored (strata.yaml line {assertion.Line})");
        }

        var resource = discovery.PreferredResources.Where(r => r.IsNamedBy(assertion.Resource)).OrderBy(r => r.Group.Length).FirstOrDefault();
        var ns = assertion.Namespace is { } source ? mapping.Map(source) : null;
        var what = assertion.Describe(ns);
        if (resource is null)
        {
            return WatchedAssertion.Impossible(what, $"the target serves no resource named '{assertion.Resource}'");
        }

        if (resource.Namespaced && ns is null)
        {
            return WatchedAssertion.Impossible(what, $"{resource.QualifiedName} is namespaced: the assertion (strata.yaml line {assertion.Line}) needs 'namespace'");
        }

        if (!resource.Namespaced && ns is not null)
        {
            return WatchedAssertion.Impossible(what, $"{resource.QualifiedName} is cluster-scoped: the assertion (strata.yaml line {assertion.Line}) takes no 'namespace'");
        }

        return new WatchedAssertion(what, false, resource, ns, assertion.Name, assertion.Read);
    }

    /// <summary>Looks until every assertion is settled, one failed, or <paramref name="deadline"/> passed.</summary>
    public async Task RunAsync(
        IReadOnlyList<WatchedAssertion> assertions, DateTimeOffset startedAt, DateTimeOffset deadline, IProgress<DrillProgress>? progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Parallel.ForEachAsync(
                assertions.Where(a => !a.Settled).ToList(),
                new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
                async (assertion, ct) => assertion.Record(await LookAsync(assertion, ct), (time.GetUtcNow() - startedAt).TotalSeconds));

            var now = time.GetUtcNow();
            var pending = assertions.FirstOrDefault(a => !a.Settled);
            progress?.Report(new DrillProgress("waiting", now - startedAt, assertions.Count(a => a.State == AssertionState.Met), assertions.Count,
                pending is null ? null : $"{pending.What} ({pending.LastSeen})"));
            if (pending is null || assertions.Any(a => a.State == AssertionState.Failed) || now >= deadline)
            {
                return;
            }

            var wait = deadline - now < options.PollInterval ? deadline - now : options.PollInterval;
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task<AssertionReading> LookAsync(WatchedAssertion assertion, CancellationToken cancellationToken)
    {
        try
        {
            return assertion.Read(await target.GetAsync(assertion.Resource!, assertion.Namespace, assertion.Name, cancellationToken));
        }
        catch (ClusterRequestException e)
        {
            // A look that failed is not an answer: the next poll tries again, and the timeout still bounds it.
            return AssertionReading.Pending($"could not be read: {e.Message}");
        }
    }
}

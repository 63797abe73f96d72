using System.Collections.Concurrent;

namespace Strata.Core.Results;

/// <summary>
/// The problems of one run, collected as they happen from any thread. Per-item failures are
/// recorded here and the run goes on; exceptions are kept for bugs and failed infrastructure.
/// </summary>
public sealed class OperationResult
{
    private readonly ConcurrentQueue<Problem> _problems = new();

    /// <summary>All problems, in the order they were recorded.</summary>
    public IReadOnlyList<Problem> Problems => [.. _problems];

    /// <summary>Whether any problem is an error.</summary>
    public bool HasErrors => _problems.Any(p => p.Severity == ProblemSeverity.Error);

    /// <summary>Records an error.</summary>
    public void Error(string message, string? resource = null, string? ns = null, string? name = null, string? reason = null) =>
        _problems.Enqueue(new Problem(ProblemSeverity.Error, message, resource, ns, name, reason));

    /// <summary>Records problems collected elsewhere (a layer that ran beside the objects), in their order.</summary>
    public void Add(IEnumerable<Problem> problems)
    {
        foreach (var problem in problems)
        {
            _problems.Enqueue(problem);
        }
    }

    /// <summary>Records a warning.</summary>
    public void Warning(string message, string? resource = null, string? ns = null, string? name = null, string? reason = null) =>
        _problems.Enqueue(new Problem(ProblemSeverity.Warning, message, resource, ns, name, reason));
}

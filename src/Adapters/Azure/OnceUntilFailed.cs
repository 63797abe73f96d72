namespace Strata.Adapters.Azure;

/// <summary>
/// Runs a setup call (create a container, create a table) once for all callers, and again after
/// it failed or was cancelled, so that one transient failure is not remembered forever.
/// </summary>
internal sealed class OnceUntilFailed(Func<Task> setup)
{
    private Task? _task;

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var task = _task;
        if (task is null || task.IsFaulted || task.IsCanceled)
        {
            _task = task = setup();
        }

        return task.WaitAsync(cancellationToken);
    }
}

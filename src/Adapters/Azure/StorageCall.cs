namespace Strata.Adapters.Azure;

/// <summary>Runs one SDK call and translates its failure into <see cref="StorageRequestException"/>.</summary>
internal static class StorageCall
{
    public static async Task<T> RunAsync<T>(string operation, string resource, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (StorageRequestException.From(e, operation, resource, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public static async Task RunAsync(string operation, string resource, Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (StorageRequestException.From(e, operation, resource, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }
}

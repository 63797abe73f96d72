using System.Runtime.CompilerServices;
using global::Azure.Data.Tables;

namespace Strata.Adapters.Azure.Table;

/// <summary>Queries across the SDK's continuation pages, where a table not created yet simply has no entities.</summary>
internal static class TableQuery
{
    public static async IAsyncEnumerable<TableEntity> ExistingAsync(
        TableClient table, string? filter, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages();
        await using var page = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await page.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception e) when (StorageRequestException.From(e, "Query Entities", table.Name, cancellationToken) is { } failure)
            {
                if (failure.ErrorCode == "TableNotFound")
                {
                    yield break;
                }

                throw failure;
            }

            foreach (var entity in page.Current.Values)
            {
                yield return entity;
            }
        }
    }
}

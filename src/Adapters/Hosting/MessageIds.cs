namespace Strata.Adapters.Hosting;

/// <summary>Ids for requests that came without an idempotency key: the source, then a random part (<c>cli-…</c>, <c>http-…</c>).</summary>
public static class MessageIds
{
    /// <summary>A new id starting with <paramref name="source"/>.</summary>
    public static string New(string source) => $"{source}-{Guid.NewGuid():N}";
}

using System.Diagnostics;
using System.Globalization;
using Strata.TestKit.Databases;

/// <summary>
/// A PostgreSQL database of about the requested size, shaped like an application's: <c>shop.events</c> holds nearly
/// all of it (ids, foreign ids, a timestamp, numeric amounts, a status, a UUID, a note of about 110 characters of
/// text, and on one row in 20 an attachment of 640–960 random bytes), with a primary key, an index and a foreign key
/// into <c>shop.customers</c>; three small tables beside it. Rows come from <c>generate_series</c> in batches, so
/// 1 GB takes a minute or two; then <c>VACUUM (FREEZE, ANALYZE)</c>, so that no dump is the first to read the rows
/// (and set their hint bits). The text and bytes are random: the dump compresses about as well as real data does.
/// </summary>
internal static class GeneratedDatabase
{
    private const int Batch = 500_000;

    // An estimate of what the two indexes on shop.events take per row (a bigint key; an int and a timestamptz).
    private const int IndexBytesPerRow = 45;

    /// <summary>Creates <paramref name="name"/> on <paramref name="server"/> and fills it to about <paramref name="bytes"/>; its <c>pg_database_size</c> and rows.</summary>
    public static async Task<(long Size, long Rows)> CreateAsync(PostgresServer server, string name, long bytes)
    {
        var clock = Stopwatch.StartNew();
        await server.CreateDatabaseAsync(name);
        await server.ExecuteAsync(name, Schema);
        await server.ExecuteAsync(name, Insert(1, 100_000));
        var heapPerRow = await server.QueryScalarAsync<long>(name, "select pg_table_size('shop.events')") / 100_000.0;
        var start = await server.QueryScalarAsync<long>(name, "select pg_database_size(current_database())");
        var rows = Math.Max(100_000, (long)((bytes - start) / (heapPerRow + IndexBytesPerRow)) + 100_000);
        for (var from = 100_001L; from <= rows; from += Batch)
        {
            await server.ExecuteAsync(name, Insert(from, Math.Min(rows, from + Batch - 1)));
        }

        await server.ExecuteAsync(name, """
            ALTER TABLE shop.events ADD PRIMARY KEY (id);
            CREATE INDEX events_customer_time ON shop.events (customer_id, occurred_at);
            ALTER TABLE shop.events ADD FOREIGN KEY (customer_id) REFERENCES shop.customers (id);
            """);
        await server.ExecuteAsync(name, "VACUUM (FREEZE, ANALYZE)");
        var size = await server.QueryScalarAsync<long>(name, "select pg_database_size(current_database())");
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated {name}: {rows:N0} events, pg_database_size {size / 1e6:0} MB, in {clock.Elapsed.TotalSeconds:0} s"));
        return (size, rows);
    }

    private const string Schema = """
        CREATE SCHEMA shop;
        CREATE TABLE shop.statuses (code text PRIMARY KEY, label text NOT NULL);
        INSERT INTO shop.statuses VALUES ('new', 'New'), ('paid', 'Paid'), ('shipped', 'Shipped'), ('delivered', 'Delivered'), ('returned', 'Returned'), ('cancelled', 'Cancelled');
        CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL, country char(2) NOT NULL, created_at timestamptz NOT NULL);
        INSERT INTO shop.customers
          SELECT g, 'Customer ' || g, 'customer' || g || '@example.test', (array['DE', 'FR', 'US', 'GB', 'NL', 'SE', 'JP'])[1 + g % 7],
                 timestamptz '2020-01-01 00:00:00+00' + g * interval '17 minutes'
          FROM generate_series(1, 20000) g;
        CREATE TABLE shop.products (id int PRIMARY KEY, sku text NOT NULL, title text NOT NULL, price numeric(10, 2) NOT NULL);
        INSERT INTO shop.products SELECT g, 'SKU-' || lpad(g::text, 6, '0'), 'Product ' || md5(g::text), (g % 500) + 0.99 FROM generate_series(1, 2000) g;
        CREATE TABLE shop.events (
          id bigint NOT NULL,
          customer_id int NOT NULL,
          product_id int NOT NULL,
          occurred_at timestamptz NOT NULL,
          amount numeric(12, 2) NOT NULL,
          quantity smallint NOT NULL,
          status text NOT NULL,
          reference uuid NOT NULL,
          note text,
          attachment bytea
        );
        """;

    // The attachment's subquery names g, so it runs for each row (not once, as an uncorrelated one would).
    private static string Insert(long from, long to) => string.Create(CultureInfo.InvariantCulture, $"""
        INSERT INTO shop.events
          SELECT g, 1 + (g * 7919) % 20000, 1 + (g * 104729) % 2000,
                 timestamptz '2023-01-01 00:00:00+00' + g * interval '7 seconds' + random() * interval '5 seconds',
                 round((random() * 2000)::numeric, 2), 1 + (g % 9),
                 (array['new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'])[(1 + g % 6)::int],
                 gen_random_uuid(),
                 'order ' || g || ' shipped to ' || md5(random()::text) || ' via ' || substr(md5(random()::text), 1, 12) || ' — ' || md5(random()::text),
                 CASE WHEN g % 20 = 0 THEN (SELECT string_agg(uuid_send(gen_random_uuid()), ''::bytea) FROM generate_series(1, 40 + (g / 20) % 21)) END
          FROM generate_series({from}::bigint, {to}) g;
        """);
}

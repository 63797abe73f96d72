using System.Globalization;

namespace Strata.TestKit.Databases;

/// <summary>
/// A generated dataset shaped like an application's: three schemas beside <c>public</c>; <c>sales.orders</c>
/// with the requested rows (text with newlines, tabs, backslashes, quotes and non-ASCII, NULLs, bytea,
/// numeric, timestamps) and a foreign key into <c>sales.customers</c>; a few small tables (arrays, jsonb,
/// a composite key, an empty table, a table partitioned in two); large objects made with <c>lo_from_bytea</c>;
/// an index, a view, a materialized view, a sequence, and two roles with grants. Deterministic: the same rows
/// every time. A partitioned table's rows are its partitions' (its dump entry has no data of its own).
/// </summary>
public static class PostgresDataset
{
    /// <summary>The table that gets the requested rows.</summary>
    public const string LargeTable = "sales.orders";

    /// <summary>Large objects the dataset creates.</summary>
    public const int LargeObjects = 3;

    /// <summary>Roles the dataset creates (cluster-wide, once per server).</summary>
    public static readonly IReadOnlyList<string> Roles = ["strata_app", "strata_reader"];

    /// <summary>The SQL that creates and fills the dataset, <paramref name="rows"/> orders.</summary>
    public static string Sql(int rows)
    {
        var customers = Math.Max(10, rows / 10).ToString(CultureInfo.InvariantCulture);
        var orders = rows.ToString(CultureInfo.InvariantCulture);
        return $$"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_app') THEN CREATE ROLE strata_app LOGIN; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_reader') THEN CREATE ROLE strata_reader NOLOGIN; END IF;
            END $$;

            CREATE SCHEMA sales;
            CREATE SCHEMA inventory;
            CREATE SCHEMA audit;

            CREATE TABLE sales.customers (
              id bigint PRIMARY KEY,
              name text NOT NULL,
              email text UNIQUE,
              created_at timestamptz NOT NULL
            );
            INSERT INTO sales.customers
              SELECT g, 'Customer ' || g || CASE WHEN g % 5 = 0 THEN ' Müller-Øster' ELSE '' END,
                     'customer' || g || '@example.test', timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour'
              FROM generate_series(1, {{customers}}) g;

            CREATE SEQUENCE sales.invoice_numbers START 1000;
            SELECT setval('sales.invoice_numbers', 1000 + {{orders}});

            CREATE TABLE sales.orders (
              id bigserial PRIMARY KEY,
              customer_id bigint NOT NULL REFERENCES sales.customers (id),
              placed_at timestamptz NOT NULL,
              total numeric(12, 2) NOT NULL,
              status text NOT NULL,
              notes text,
              payload bytea
            );
            INSERT INTO sales.orders (customer_id, placed_at, total, status, notes, payload)
              SELECT 1 + g % {{customers}}, timestamptz '2024-02-01 00:00:00+00' + g * interval '1 minute', (g % 10000) / 100.0,
                     (ARRAY['new', 'paid', 'shipped', 'returned'])[1 + g % 4],
                     CASE WHEN g % 11 = 0 THEN NULL
                          WHEN g % 7 = 0 THEN E'multi\nline\twith tab \\ backslash ''quote'' and \\. dot ' || g
                          ELSE 'order ' || g || ' ✓' END,
                     decode(md5(g::text), 'hex')
              FROM generate_series(1, {{orders}}) g;
            CREATE INDEX orders_customer_placed ON sales.orders (customer_id, placed_at);

            CREATE VIEW sales.order_totals AS
              SELECT customer_id, count(*) AS orders, sum(total) AS total FROM sales.orders GROUP BY customer_id;

            CREATE TABLE inventory.products (
              sku text PRIMARY KEY,
              title text NOT NULL,
              price numeric(10, 2),
              tags text[],
              attributes jsonb
            );
            INSERT INTO inventory.products
              SELECT 'SKU-' || lpad(g::text, 4, '0'), 'Product ' || g, g * 1.5, ARRAY['tag' || g % 3, 'all'],
                     jsonb_build_object('weight', g, 'color', (ARRAY['red', 'green', 'blue'])[1 + g % 3])
              FROM generate_series(1, 25) g;

            CREATE TABLE inventory.stock (
              sku text REFERENCES inventory.products (sku),
              warehouse text,
              quantity integer NOT NULL,
              PRIMARY KEY (sku, warehouse)
            );
            INSERT INTO inventory.stock
              SELECT p.sku, w, length(p.sku) * 3 FROM inventory.products p CROSS JOIN unnest(ARRAY['north', 'south']) w;

            CREATE TABLE inventory.discontinued (sku text PRIMARY KEY, reason text);

            CREATE TABLE audit.events (id bigint PRIMARY KEY, at timestamptz NOT NULL, kind text NOT NULL, detail jsonb);
            INSERT INTO audit.events
              SELECT g, timestamptz '2024-03-01 00:00:00+00' + g * interval '1 second', 'event-' || g % 4, jsonb_build_object('n', g)
              FROM generate_series(1, 30) g;

            CREATE TABLE audit.measurements (id bigint NOT NULL, taken_on date NOT NULL, value double precision) PARTITION BY RANGE (taken_on);
            CREATE TABLE audit.measurements_2024 PARTITION OF audit.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE audit.measurements_2025 PARTITION OF audit.measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            INSERT INTO audit.measurements SELECT g, date '2024-06-01' + g * 7, g * 0.5 FROM generate_series(1, 40) g;

            CREATE MATERIALIZED VIEW sales.daily_revenue AS
              SELECT date_trunc('day', placed_at) AS day, sum(total) AS revenue FROM sales.orders GROUP BY 1;

            CREATE TABLE public.documents (id integer PRIMARY KEY, title text NOT NULL, content oid NOT NULL);
            INSERT INTO public.documents
              SELECT g, 'Document ' || g, lo_from_bytea(0, convert_to(repeat('page ' || g || E'\n', 100 * g), 'UTF8'))
              FROM generate_series(1, {{LargeObjects}}) g;

            GRANT USAGE ON SCHEMA sales, inventory TO strata_reader;
            GRANT SELECT ON ALL TABLES IN SCHEMA sales, inventory TO strata_reader;
            GRANT SELECT, INSERT, UPDATE ON sales.orders TO strata_app;
            GRANT USAGE ON SEQUENCE sales.orders_id_seq TO strata_app;
            """;
    }
}

using System.Globalization;

namespace Strata.TestKit.Databases;

/// <summary>
/// A generated dataset shaped like an application's, for MariaDB: <c>orders</c> with the requested rows
/// (text with newlines, tabs, backslashes, quotes, parentheses and semicolons, NULLs, a BLOB, decimals,
/// datetimes) and an index, small <c>customers</c> and <c>products</c> (JSON) tables, an empty table, a
/// view, and a procedure and a trigger whose bodies hold INSERTs (which a dump reader must not count as
/// rows). Deterministic: the same rows every time.
/// </summary>
public static class MariaDbDataset
{
    /// <summary>The table that gets the requested rows.</summary>
    public const string LargeTable = "orders";

    /// <summary>The statements that create and fill the dataset, <paramref name="rows"/> orders; each runs on its own (no DELIMITER).</summary>
    public static IReadOnlyList<string> Statements(int rows)
    {
        var customers = Math.Max(10, rows / 10).ToString(CultureInfo.InvariantCulture);
        var statements = new List<string>
        {
            "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) UNIQUE, created_at DATETIME NOT NULL)",
            $"""
            INSERT INTO customers
              SELECT seq, CONCAT('Customer ', seq, IF(seq % 5 = 0, ' Müller-Øster', '')), CONCAT('customer', seq, '@example.test'),
                     '2024-01-01 00:00:00' + INTERVAL seq HOUR
              FROM seq_1_to_{customers}
            """,
            """
            CREATE TABLE orders (
              id BIGINT PRIMARY KEY, customer_id INT NOT NULL, placed_at DATETIME NOT NULL, total DECIMAL(12, 2) NOT NULL,
              status VARCHAR(20) NOT NULL, notes TEXT, payload BLOB, INDEX orders_customer_placed (customer_id, placed_at)
            )
            """,
            "CREATE TABLE products (sku VARCHAR(20) PRIMARY KEY, title VARCHAR(200) NOT NULL, price DECIMAL(10, 2), attributes JSON)",
            """
            INSERT INTO products
              SELECT CONCAT('SKU-', LPAD(seq, 4, '0')), CONCAT('Product ', seq), seq * 1.5, JSON_OBJECT('weight', seq, 'color', ELT(1 + seq % 3, 'red', 'green', 'blue'))
              FROM seq_1_to_25
            """,
            "CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, order_id BIGINT, note VARCHAR(100))",
            "CREATE TABLE discontinued (sku VARCHAR(20) PRIMARY KEY, reason TEXT)",
            "CREATE VIEW order_totals AS SELECT customer_id, COUNT(*) AS orders, SUM(total) AS total FROM orders GROUP BY customer_id",
            """
            CREATE PROCEDURE archive_order(IN order_id BIGINT)
            BEGIN
            INSERT INTO audit_log (order_id, note) VALUES (order_id, 'archived'), (order_id, '(second)');
            END
            """,
            """
            CREATE TRIGGER orders_audit AFTER DELETE ON orders FOR EACH ROW
            INSERT INTO audit_log (order_id, note) VALUES (OLD.id, 'deleted')
            """,
        };
        if (rows > 0)
        {
            statements.Add($"""
                INSERT INTO orders
                  SELECT seq, 1 + seq % {customers}, '2024-02-01 00:00:00' + INTERVAL seq MINUTE, (seq % 10000) / 100,
                         ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'),
                         CASE WHEN seq % 11 = 0 THEN NULL
                              WHEN seq % 7 = 0 THEN CONCAT('multi\nline\twith tab \\ backslash ''quote'' "double" (x),(y); ', seq)
                              ELSE CONCAT('order ', seq, ' ✓') END,
                         UNHEX(MD5(seq))
                  FROM seq_1_to_{rows}
                """);
        }

        return statements;
    }
}

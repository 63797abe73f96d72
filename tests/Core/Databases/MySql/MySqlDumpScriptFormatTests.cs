using System.Text;
using CsCheck;
using Strata.Core.Databases;
using Strata.Core.Databases.MySql;

namespace Strata.Core.Tests.Databases.MySql;

/// <summary>
/// The dump script reader on scripts written by hand in the shapes Oracle MySQL's <c>mysqldump</c> writes
/// (one-line extended inserts, <c>_binary</c> literals, GTID lines) and on generated values that try every
/// quote, escape, parenthesis and delimiter inside strings, read through reads of random sizes.
/// </summary>
public sealed class MySqlDumpScriptFormatTests
{
    private const string MySqlHeader = """
        -- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
        --
        -- Host: db.internal    Database: shop
        -- ------------------------------------------------------
        -- Server version	8.0.36

        /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
        /*!50503 SET NAMES utf8mb4 */;
        SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5';

        """;

    [Fact]
    public async Task ReadAsync_MySqlDump_ReadsHeaderTablesAndRows()
    {
        var script = MySqlHeader + """
            --
            -- Table structure for table `order``s`
            --

            DROP TABLE IF EXISTS `order``s`;
            CREATE TABLE `order``s` (
              `id` int NOT NULL,
              `note` text COMMENT 'it''s (a) note; really',
              PRIMARY KEY (`id`)
            ) ENGINE=InnoDB;

            --
            -- Dumping data for table `order``s`
            --

            LOCK TABLES `order``s` WRITE;
            INSERT INTO `order``s` VALUES (1,'a'),(2,_binary 'x\'),(y'),(3,NULL),(4,'-- not a comment'),(5,'/* nor this */');
            INSERT INTO `shop`.`order``s` (`id`, `note`) VALUES (6,'\\'),(7,"dq \" ;");
            UNLOCK TABLES;
            DELIMITER ;;
            /*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER `t` AFTER INSERT ON `order``s` FOR EACH ROW
            INSERT INTO `order``s` VALUES (100, 'trigger') */;;
            DELIMITER ;
            /*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

            -- Dump completed on 2026-11-30 12:00:00

            """;

        var contents = await MySqlDumpScript.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(script), seed: 3, maxRead: 5));

        Assert.Equal((MySqlDumpFlavor.MySql, "10.13  Distrib 8.0.36, for Linux (x86_64)", "8.0.36"), (contents.Flavor, contents.ToolVersion, contents.ServerVersion));
        Assert.Equal(("db.internal", "shop", "2026-11-30 12:00:00"), (contents.Host, contents.Database, contents.CompletedOn));
        Assert.Equal([new DumpTable("shop", "order`s", 7)], contents.Tables);
        Assert.Equal((2L, true), (contents.InsertStatements, contents.Completed));
    }

    [Fact]
    public async Task ReadAsync_TrailerFollowedByAStatement_NotCompleted()
    {
        var script = MySqlHeader + "-- Dump completed on 2026-11-30 12:00:00\nINSERT INTO `t` VALUES (1);\n";

        var contents = await MySqlDumpScript.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(script)));

        Assert.False(contents.Completed);
    }

    [Fact]
    public async Task ReadAsync_EndsInsideAString_NotCompleted()
    {
        var script = MySqlHeader + "INSERT INTO `t` VALUES (1,'abc\n-- Dump completed on 2026-11-30 12:00:00\n";

        var contents = await MySqlDumpScript.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(script)));

        Assert.False(contents.Completed);
    }

    [Fact]
    public async Task ReadAsync_TrailerWithoutItsNewline_NotCompleted()
    {
        var script = MySqlHeader + "-- Dump completed on 2026-11-30 12:00";

        Assert.False((await MySqlDumpScript.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(script)))).Completed);
    }

    [Fact]
    public async Task ReadAsync_AnyValues_CountsEveryRow()
    {
        // Values as mysqldump escapes them: quotes, backslashes, NUL, newlines as \n, with parentheses,
        // commas, semicolons and comment openers inside the strings.
        var alphabet = "a(),;'\"\\\n-/*`é\0";
        var value = Gen.String[Gen.Int[0, alphabet.Length - 1].Select(i => alphabet[i]), 0, 12].Select(Escape);
        var row = Gen.Select(Gen.Int[0, 1000], value, Gen.Bool).Select((n, s, isNull) => $"({n},{(isNull ? "NULL" : s)},-{n})");
        await Gen.Select(row.List[1, 8].List[0, 12], Gen.Int[0, 1000]).SampleAsync(async (statements, seed) =>
        {
            // MariaDB puts each row of an extended insert on its own line, MySQL all on one.
            var script = MySqlHeader + string.Concat(statements.Select((rows, i) => $"INSERT INTO `t` VALUES {string.Join(i % 2 == 0 ? ",\n" : ",", rows)};\n"))
                + "-- Dump completed on 2026-11-30 12:00:00\n";

            var contents = await MySqlDumpScript.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(script), seed, maxRead: 7));

            Assert.Equal(statements.Sum(rows => rows.Count), contents.Tables.SingleOrDefault()?.Rows ?? 0);
            Assert.True(contents.Completed);
        }, iter: 200);
    }

    [Fact]
    public async Task ReadAsync_AnyDamage_ReadsOrThrowsInvalidData()
    {
        var script = Encoding.UTF8.GetBytes(MySqlHeader + "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN INSERT INTO t VALUES (1); END ;;\nDELIMITER ;\n"
            + "CREATE TABLE `t` (`a` text);\nINSERT INTO `t` VALUES ('x\\'y'),(\"z\");\n/* c */ -- Dump completed on 2026\n");
        var damage = Gen.Select(Gen.Int[0, script.Length - 1], Gen.Byte, Gen.Bool);
        await Gen.Select(damage.Array[1, 6], Gen.Int[0, 100]).SampleAsync(async (changes, seed) =>
        {
            var bytes = script.ToArray();
            foreach (var (at, value, cut) in changes)
            {
                bytes = cut ? bytes[..Math.Min(at, bytes.Length)] : bytes;
                if (!cut && at < bytes.Length)
                {
                    bytes[at] = value;
                }
            }

            try
            {
                await MySqlDumpScript.ReadAsync(new TrickleStream(bytes, seed, maxRead: 9));
            }
            catch (InvalidDataException)
            {
            }
        }, iter: 2000);
    }

    /// <summary>A string literal as mysql_real_escape_string writes it.</summary>
    private static string Escape(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal) + "'";
}

using System.Text;
using Strata.Core.Commands;
using Strata.Core.Databases;

namespace Strata.Core.Tests.Databases;

/// <summary>
/// The commands Strata builds for <c>engine: mysql</c> (Oracle MySQL, whose server is not run here) and, beside them,
/// <c>engine: mariadb</c>: the argument vectors of the dump, the restore and a drill's statements, exactly as an
/// executor receives them. MariaDB's are also run against a real server (<c>MariaDbServer</c>); MySQL's are checked as built.
/// </summary>
public sealed class MySqlToolsTests
{
    private static readonly DatabaseTarget MySql = new()
    {
        Name = "orders", Namespace = "shop", Engine = DatabaseEngine.MySql, Executor = DatabaseExecutor.Direct, Host = "mysql.shop", Port = 3306, User = "backup",
    };

    [Fact]
    public void Dump_MySql_MysqldumpInOneSnapshot_GtidPurgedOff_TheDatabaseAfterDoubleDash_PasswordInTheEnvironment()
    {
        var command = DumpTools.Dump(MySql, "app", "s3cret");

        Assert.Equal(["mysqldump"], command.Programs);
        Assert.Equal(
            ["--user=backup", "--host=mysql.shop", "--protocol=TCP", "--port=3306",
                "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob", "--set-gtid-purged=OFF", "--", "app"],
            command.Arguments);
        Assert.Equal([new KeyValuePair<string, string>("MYSQL_PWD", "s3cret")], command.Secrets);
        Assert.DoesNotContain("s3cret", command.ToString(), StringComparison.Ordinal);
        Assert.Equal(".sql", DumpTools.Extension(MySql.Engine));
    }

    [Fact]
    public void Dump_MariaDb_MariadbDumpFirst_WithoutTheGtidOption()
    {
        var command = DumpTools.Dump(MySql with { Engine = DatabaseEngine.MariaDb }, "app", null);

        Assert.Equal(["mariadb-dump", "mysqldump"], command.Programs);
        Assert.DoesNotContain(command.Arguments, a => a.StartsWith("--set-gtid-purged", StringComparison.Ordinal));
        Assert.Empty(command.Secrets);
    }

    [Fact]
    public void Dump_MySqlInThePod_LocalSocketAndRootByDefault_ANameLikeAnOptionStaysAName()
    {
        var command = DumpTools.Dump(MySql with { Executor = DatabaseExecutor.Exec, Host = null, Port = null, User = null }, "-edrop database app", null);

        Assert.Equal(["--user=root", "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob", "--set-gtid-purged=OFF", "--", "-edrop database app"],
            command.Arguments);
    }

    [Fact]
    public void ListDatabases_MySql_TheMysqlClientInBatchMode()
    {
        var command = DumpTools.ListDatabases(MySql, "s3cret");

        Assert.Equal(["mysql"], command.Programs);
        Assert.Equal(
            ["--user=backup", "--host=mysql.shop", "--protocol=TCP", "--port=3306", "--connect-timeout=15", "--batch", "--raw", "--skip-column-names", "--execute", "SHOW DATABASES"],
            command.Arguments);
        Assert.Equal(["app", "orders"], MySqlTools.UserDatabases("information_schema\napp\nmysql\nperformance_schema\nsys\norders\n"));
    }

    [Fact]
    public void Restore_MySql_TheClientReadsTheDumpFromStdinIntoTheNamedSchema()
    {
        var command = DatabaseSession.For(new ConnectedDatabase(MySql, new RecordingExecutor(), "s3cret")).Restore("strata_drill_ab12cd34", 4096, clean: false, scratch: true);

        Assert.Equal(["mysql"], command.Programs);
        Assert.Equal(["--user=backup", "--host=mysql.shop", "--protocol=TCP", "--port=3306", "--connect-timeout=15", "--batch", "--database=strata_drill_ab12cd34"], command.Arguments);
        Assert.Equal(4096, command.StdinLength);
        Assert.Equal("MYSQL_PWD", Assert.Single(command.Secrets).Key);
    }

    [Fact]
    public async Task Session_MySqlDrillStatements_AsTheClientReceivesThem()
    {
        var executor = new RecordingExecutor { Output = "0\t2\n" };
        var session = DatabaseSession.For(new ConnectedDatabase(MySql, executor, "s3cret"));

        await session.FindAsync("strata_drill_ab12cd34");
        await session.CreateAsync("strata_drill_ab12cd34", "backup b1");
        var rows = await session.CountRowsAsync("strata_drill_ab12cd34", [new DumpTable("app", "order`s", 2)]);
        await session.DropAsync("strata_drill_ab12cd34");

        Assert.All(executor.Commands, c => Assert.Equal(["mysql"], c.Programs));
        Assert.All(executor.Commands, c => Assert.Equal(["--user=backup", "--host=mysql.shop", "--protocol=TCP", "--port=3306", "--connect-timeout=15", "--batch", "--raw", "--skip-column-names", "--execute"],
            c.Arguments.Take(9)));
        Assert.Equal(
        [
            "select count(*) from information_schema.schemata where schema_name = 'strata_drill_ab12cd34'",
            "create database `strata_drill_ab12cd34`",
            "create table `strata_drill_ab12cd34`.`_strata_drill` (note varchar(255)); insert into `strata_drill_ab12cd34`.`_strata_drill` values ('strata drill scratch database: backup b1')",
            "select 0, count(*) from `order``s`",
            "drop database if exists `strata_drill_ab12cd34`",
        ], executor.Commands.Select(c => c.Arguments[9]));
        Assert.Equal("--database=strata_drill_ab12cd34", executor.Commands[3].Arguments[10]);
        Assert.Equal(2, rows["app.order`s"]);
    }

    /// <summary>An executor that records each command and answers every one with <see cref="Output"/>.</summary>
    private sealed class RecordingExecutor : IToolExecutor
    {
        public string Output { get; init; } = "";

        public List<DatabaseCommand> Commands { get; } = [];

        public string Where => "recording";

        public async Task<CommandExit> RunAsync(DatabaseCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
        {
            Commands.Add(command);
            await streams.Stdout!(new MemoryStream(Encoding.UTF8.GetBytes(Output)), cancellationToken);
            return new CommandExit(0, "");
        }
    }
}

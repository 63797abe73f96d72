using System.Text;
using Strata.Core.Databases.Postgres;
using Strata.TestKit.Databases;

namespace Strata.Core.Tests.Databases.Postgres;

/// <summary>The globals reader against real <c>pg_dumpall --globals-only</c> output (with psql's \restrict lines).</summary>
public sealed class PgDumpAllGlobalsTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ReadAsync_RealGlobals_RolesAndCompleted()
    {
        await server.ExecuteAsync("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_reader') THEN CREATE ROLE strata_reader; END IF; END $$");

        var globals = await PgDumpAllGlobals.ReadAsync(new TrickleStream(await server.PgDumpAllGlobalsAsync(), seed: 2));

        Assert.Contains("postgres", globals.Roles);
        Assert.Contains("strata_reader", globals.Roles);
        Assert.True(globals.Completed);
    }

    [Fact]
    public async Task ReadAsync_TruncatedAnywhere_NotCompleted()
    {
        var script = await server.PgDumpAllGlobalsAsync();
        var trailer = Encoding.UTF8.GetString(script).LastIndexOf("-- PostgreSQL database cluster dump complete", StringComparison.Ordinal);

        foreach (var cut in Enumerable.Range(1, 40).Select(i => trailer * i / 40).Append(trailer + 20))
        {
            try
            {
                Assert.False((await PgDumpAllGlobals.ReadAsync(new MemoryStream(script, 0, cut))).Completed, $"cut at {cut}");
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("not a pg_dumpall script", e.Message, StringComparison.Ordinal); // cut inside the header
            }
        }
    }

    [Fact]
    public async Task ReadAsync_NotGlobals_ThrowsSaying()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => PgDumpAllGlobals.ReadAsync(new MemoryStream("SELECT 1;\n"u8.ToArray())));

        Assert.Equal("not a pg_dumpall script: it does not open with '-- PostgreSQL database cluster dump'", e.Message);
    }
}

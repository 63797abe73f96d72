using System.CommandLine;
using Strata.Cli.Output;

namespace Strata.Cli.Commands;

/// <summary><c>strata restore describe ID</c>: the record with every object's result.</summary>
internal static class RestoreDescribeCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var id = new Argument<string>("restore-id") { Description = "The restore's id (see 'strata restore list')." };
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var command = new Command("describe", "Show one restore: counts, and what happened to each object.") { id, output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            var restoreId = parsed.GetValue(id)!;
            var record = await location.History.FindRestoreAsync(restoreId, ct);
            if (record is null)
            {
                await environment.Error.WriteLineAsync($"strata: no restore \"{restoreId}\" in {location.HistoryWhere} (see 'strata restore list')");
                return ExitCodes.Failed;
            }

            if (parsed.GetValue(output) == "json")
            {
                await environment.Out.WriteLineAsync(RestoreJson.Record(record));
            }
            else
            {
                RestoreTables.Summary(environment, record, allItems: true);
            }

            return ExitCodes.Succeeded;
        });
        return command;
    }
}

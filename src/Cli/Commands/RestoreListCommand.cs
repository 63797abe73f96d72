using System.CommandLine;
using Strata.Cli.Output;
using Strata.Core.Runs;

namespace Strata.Cli.Commands;

/// <summary><c>strata restore list</c>: restores, newest first.</summary>
internal static class RestoreListCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var store = new StoreOptions();
        var output = CommonOptions.Output();
        var command = new Command("list", "List restores, newest first.") { output };
        store.AddTo(command);
        command.SetAction(async (parsed, ct) =>
        {
            var location = store.Resolve(parsed, environment);
            var records = new List<RestoreRecord>();
            await foreach (var record in location.History.ListRestoresAsync(ct))
            {
                records.Add(record);
            }

            if (parsed.GetValue(output) == "json")
            {
                await environment.Out.WriteLineAsync(RestoreJson.List(records));
                return ExitCodes.Succeeded;
            }

            if (records.Count == 0)
            {
                await environment.Out.WriteLineAsync($"No restores in {location.HistoryWhere}.");
                return ExitCodes.Succeeded;
            }

            RestoreTables.List(environment, records);
            return ExitCodes.Succeeded;
        });
        return command;
    }
}

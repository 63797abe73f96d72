using Strata.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await StrataCli.RunAsync(args, CliEnvironment.FromProcess(), cancel.Token);

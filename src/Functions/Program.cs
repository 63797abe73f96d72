using Strata.Functions;

// `Strata.Functions --write-layout DIR` writes host.json and every function.json (the publish step runs it).
if (args is ["--write-layout", var directory])
{
    FunctionCatalog.WriteLayout(directory);
    return 0;
}

var app = HandlerApp.Build(args);
await app.RunAsync();
return 0;

using Strata.Functions;

var app = HandlerApp.Build(args);
await app.RunAsync();

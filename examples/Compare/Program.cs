// The main job: TinyNet beside ML.NET's built-in trainers on real data, every trainer with its defaults. See CompareApp
// for the protocol and CommandLine.Usage for every option.
//   dotnet run --project examples/Compare
//   dotnet run --project examples/Compare -- --data PATH --label COLUMN --task binary|regression [--positive VALUE] [--json FILE] [--trainers tinynet,sdca]
//   dotnet run --project examples/Compare -- --data-dir FOLDER --manifest FILE   (a folder of CSVs; see docs/defaults.md)
using TinyNet.Examples.Compare;

return CompareApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);

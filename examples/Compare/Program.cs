// The main job: TinyNet beside ML.NET's built-in trainers on real data. See CompareApp for the protocol.
//   dotnet run --project examples/Compare
//   dotnet run --project examples/Compare -- --data PATH --label COLUMN --task binary|regression [--positive VALUE] [--json FILE] [--trainers tinynet,sdca]
using TinyNet.Examples.Compare;

return CompareApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);

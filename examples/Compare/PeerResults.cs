using System.Text.Json;

namespace TinyNet.Examples.Compare;

/// <summary>Rows in --json's format from another tool (examples/Compare/peers/sklearn_peers.py), to print beside ML.NET's trainers.</summary>
internal static class PeerResults
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static List<TrainerResult> Read(string path)
    {
        try
        {
            List<TrainerResult> rows = JsonSerializer.Deserialize<List<TrainerResult>>(File.ReadAllText(path), Options) ?? [];
            foreach (TrainerResult r in rows)
            {
                if (r.Dataset is null || r.Task is null || r.Trainer is null || r.Metrics is null)
                {
                    throw new InvalidDataException($"--peer-results: '{path}' has a row without dataset, task, trainer or metrics.");
                }
            }

            return rows;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"--peer-results: '{path}' is not a JSON list of result rows ({e.Message}).");
        }
    }
}

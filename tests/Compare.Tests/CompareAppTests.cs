using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TinyNet.Examples.Compare.Tests;

/// <summary>The Compare tool on small CSVs written by the test: its JSON, its table, its errors.</summary>
public sealed class CompareAppTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("compare-").FullName;

    [Fact]
    public void Binary_csv_with_text_and_missing_values_gives_json_for_every_trainer()
    {
        string csv = WriteCsv(binary: true);
        string json = Path.Combine(_folder, "out.json");
        (int exit, string output, string error) = Run("--data", csv, "--label", "y", "--task", "binary", "--positive", "yes", "--json", json, "--out", _folder);
        Assert.True(exit == 0, error);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement[] rows = [.. doc.RootElement.EnumerateArray()];
        Assert.Equal(["tinynet", "sdca", "lbfgs", "fasttree", "lightgbm"], rows.Select(r => r.GetProperty("trainer").GetString()));
        foreach (JsonElement row in rows)
        {
            Assert.Equal(5, row.GetProperty("splits").GetInt32());
            JsonElement metrics = row.GetProperty("metrics");
            Assert.InRange(metrics.GetProperty("auc").GetDouble(), 0.8, 1.0);          // the label is a clear function of x1, x2
            Assert.InRange(metrics.GetProperty("accuracy").GetDouble(), 0.7, 1.0);
            Assert.True(metrics.TryGetProperty("f1", out _) && metrics.TryGetProperty("logLoss", out _));
            Assert.True(row.GetProperty("trainSeconds").GetDouble() > 0);
            Assert.True(row.GetProperty("predictRowsPerSecond").GetDouble() > 0);
        }

        Assert.Contains("| tinynet |", output);
        Assert.Contains("plot: ", output);
        Assert.True(File.Exists(Path.Combine(_folder, Path.GetFileNameWithoutExtension(csv) + "-auc.png")));
        Assert.True(File.Exists(Path.Combine(_folder, Path.GetFileNameWithoutExtension(csv) + "-tinynet-loss.png")));
    }

    [Fact]
    public void Regression_csv_with_chosen_trainers()
    {
        string csv = WriteCsv(binary: false);
        string json = Path.Combine(_folder, "reg.json");
        (int exit, _, string error) = Run("--data", csv, "--label", "y", "--task", "regression", "--trainers", "tinynet,sdca", "--json", json, "--out", _folder);
        Assert.True(exit == 0, error);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement[] rows = [.. doc.RootElement.EnumerateArray()];
        Assert.Equal(["tinynet", "sdca"], rows.Select(r => r.GetProperty("trainer").GetString()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("metrics").GetProperty("r2").GetDouble(), 0.5, 1.0));
        Assert.All(rows, r => Assert.True(r.GetProperty("metrics").GetProperty("rmse").GetDouble() > 0));
    }

    [Theory]
    [InlineData(2, "Unknown argument '--bogus'", "--bogus", "1")]
    [InlineData(2, "--json needs a value", "--json")]
    [InlineData(2, "--data: no file at", "--data", "/nonexistent.csv", "--label", "y", "--task", "binary")]
    [InlineData(2, "--label, --task and --positive go with --data", "--label", "y")]
    [InlineData(2, "names an unknown trainer", "--trainers", "tinynet,xgboost")]
    public void Bad_arguments_give_a_message_and_an_exit_code_not_a_stack_trace(int code, string message, params string[] args)
    {
        (int exit, _, string error) = Run(args);
        Assert.Equal(code, exit);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Data_problems_name_what_is_wrong()
    {
        string csv = WriteCsv(binary: true);
        (int exit, _, string error) = Run("--data", csv, "--label", "nope", "--task", "binary");
        Assert.Equal(1, exit);
        Assert.Contains("no label column 'nope'. Columns: x1, x2, colour, y", error);

        (exit, _, error) = Run("--data", csv, "--label", "y", "--task", "binary", "--positive", "maybe");
        Assert.Equal(1, exit);
        Assert.Contains("--positive 'maybe' is not a value of 'y'", error);

        (exit, _, error) = Run("--data", csv, "--label", "y", "--task", "regression");
        Assert.Equal(1, exit);
        Assert.Contains("regression needs a numeric label", error);

        (exit, _, error) = Run("--data", csv, "--label", "y", "--task", "regression", "--trainers", "lbfgs");
        Assert.Equal(1, exit);
        Assert.Contains("none of the requested trainers applies", error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CompareApp.Run(args, output, error, interactive: false);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>150 rows: two numeric columns (one with gaps), a text column, and a label that depends on them.</summary>
    private string WriteCsv(bool binary)
    {
        var random = new Random(1);
        var sb = new StringBuilder("x1,x2,colour,y\n");
        string[] colours = ["red", "green", "blue"];
        for (int i = 0; i < 150; i++)
        {
            double x1 = random.NextDouble() * 4 - 2, x2 = random.NextDouble() * 4 - 2;
            int c = random.Next(3);
            double t = x1 + 0.5 * x2 * x2 + c - 1 + 0.2 * (random.NextDouble() - 0.5);
            string x2Text = i % 17 == 0 ? "" : x2.ToString("F4", CultureInfo.InvariantCulture);
            string y = binary ? (t > 0.5 ? "yes" : "no") : t.ToString("F4", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"{x1:F4},{x2Text},\"{colours[c]}\",{y}\n");
        }

        string path = Path.Combine(_folder, binary ? "small_binary.csv" : "small_regression.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}

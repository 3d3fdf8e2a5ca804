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

    /// <summary>
    /// --export-splits writes each split's test rows, stratified 80/20 by class (the rows Compare tests on), and
    /// --peer-results prints another tool's rows beside the ML.NET trainers, in the set's table and the JSON.
    /// </summary>
    [Fact]
    public void Splits_are_exported_and_peer_results_print_beside_the_trainers()
    {
        string csv = WriteCsv(binary: true);
        string splits = Path.Combine(_folder, "splits");
        string peers = Path.Combine(_folder, "peers.json");
        string name = Path.GetFileNameWithoutExtension(csv);
        File.WriteAllText(peers, $$"""
            [{"dataset": "{{name}}", "task": "binary", "trainer": "sklearn-mlp16", "splits": 5,
              "metrics": {"auc": 0.91234, "accuracy": 0.8, "logLoss": 0.5}, "trainSeconds": 1.5, "predictRowsPerSecond": 1000},
             {"dataset": "other", "task": "binary", "trainer": "sklearn-hgb", "splits": 5,
              "metrics": {"auc": 0.5}, "trainSeconds": 1, "predictRowsPerSecond": 1}]
            """);
        string json = Path.Combine(_folder, "with-peers.json");
        (int exit, string output, string error) = Run("--data", csv, "--label", "y", "--task", "binary", "--positive", "yes", "--trainers", "tinynet",
            "--export-splits", splits, "--peer-results", peers, "--json", json, "--out", _folder);
        Assert.True(exit == 0, error);

        string[] lines = File.ReadAllLines(Path.Combine(splits, name + ".csv"));
        Assert.Equal("split,row", lines[0]);
        (int Split, int Row)[] test = [.. lines.Skip(1).Select(l => l.Split(',')).Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture)))];
        Assert.Equal([0, 1, 2, 3, 4], test.Select(t => t.Split).Distinct());
        Assert.All(test.GroupBy(t => t.Split), g => Assert.InRange(g.Count(), 28, 32));      // 20% of 150 rows
        Assert.All(test, t => Assert.InRange(t.Row, 0, 149));
        Assert.NotEqual(test.Where(t => t.Split == 0).Select(t => t.Row), test.Where(t => t.Split == 1).Select(t => t.Row));

        Assert.Contains("| sklearn-mlp16 | 0.9123 | 0.8000 |  | 0.5000 | 1.50 |", output);   // no F1 from the peer: an empty cell
        Assert.DoesNotContain("sklearn-hgb", output);                                           // another data set's row
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(["tinynet", "sklearn-mlp16"], doc.RootElement.EnumerateArray().Select(r => r.GetProperty("trainer").GetString()));
    }

    [Theory]
    [InlineData(2, "Unknown argument '--bogus'", "--bogus", "1")]
    [InlineData(2, "--json needs a value", "--json")]
    [InlineData(2, "--data: no file at", "--data", "/nonexistent.csv", "--label", "y", "--task", "binary")]
    [InlineData(2, "--label, --task and --positive go with --data", "--label", "y")]
    [InlineData(2, "names an unknown trainer", "--trainers", "tinynet,xgboost")]
    [InlineData(2, "--peer-results: no file at", "--peer-results", "/nonexistent.json")]
    [InlineData(2, "--normalizer is 'zscore'", "--normalizer", "zscore")]
    [InlineData(2, "no TinyNet option 'Hidden'; options: ", "--tinynet", "Hidden=3")]
    [InlineData(2, "NumberOfHiddenUnits = 'many' is not a valid Int32", "--tinynet", "NumberOfHiddenUnits=many")]
    [InlineData(2, "'LearningRate' is not NAME=VALUE", "--tinynet", "LearningRate")]
    [InlineData(2, "TrainingLossStop is '10'; write PATIENCE:TOLERANCE", "--tinynet", "TrainingLossStop=10")]
    [InlineData(2, "--data-dir: no folder at", "--data-dir", "/nonexistent-folder")]
    [InlineData(2, "--manifest goes with --data-dir", "--manifest", "m.csv")]
    [InlineData(2, "--variants: no file at", "--variants", "/nonexistent.txt")]
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

    [Fact]
    public void A_folder_with_a_manifest_gives_one_summary_table_per_task()
    {
        string binary = WriteCsv(binary: true), regression = WriteCsv(binary: false);
        string multiclass = Path.Combine(_folder, "small_multiclass.csv");
        var rng = new Random(3);
        File.WriteAllLines(multiclass, ["a,b,y", .. Enumerable.Range(0, 90).Select(i =>
            FormattableString.Invariant($"{i % 3 + rng.NextDouble()},{rng.NextDouble()},{(i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue")}"))]);
        File.WriteAllText(Path.Combine(_folder, "manifest.csv"),
            $"file,label,task,positive\n{Path.GetFileName(binary)},y,binary,yes\n{Path.GetFileName(regression)},y,regression,\nsmall_multiclass.csv,y,multiclass,\n");
        string json = Path.Combine(_folder, "dir.json");
        (int exit, string output, string error) = Run("--data-dir", _folder, "--trainers", "tinynet,sdca", "--json", json, "--out", _folder);
        Assert.True(exit == 0, error);
        Assert.Contains("### Summary, binary: AUC (higher is better), mean of the splits", output);
        Assert.Contains("### Summary, regression: RMSE (lower is better), mean of the splits", output);
        Assert.Contains("### Summary, multiclass: micro accuracy (higher is better), mean of the splits", output);
        Assert.Contains("| small_binary | ", output);
        Assert.Contains("| small_regression | ", output);
        Assert.Contains("| trainer | micro accuracy | macro accuracy | log-loss | train s | predict rows/s |", output);
        Assert.True(File.Exists(Path.Combine(_folder, "small_multiclass-microAccuracy.png")));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(6, doc.RootElement.GetArrayLength());
        JsonElement tinyNet = doc.RootElement.EnumerateArray().Single(r => r.GetProperty("dataset").GetString() == "small_multiclass" && r.GetProperty("trainer").GetString() == "tinynet");
        Assert.True(tinyNet.GetProperty("metrics").GetProperty("microAccuracy").GetDouble() > 0.9);
    }

    [Fact]
    public void A_manifest_with_a_wrong_row_names_the_line()
    {
        string csv = WriteCsv(binary: true);
        string manifest = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(manifest, $"file,label,task,positive\n{Path.GetFileName(csv)},y,ranking,\n");
        (int exit, _, string error) = Run("--data-dir", _folder, "--manifest", manifest);
        Assert.Equal(2, exit);
        Assert.Contains("bad.csv, line 2: task is 'ranking'; it must be binary, regression or multiclass", error);

        File.WriteAllText(manifest, "name,target\n");
        (exit, _, error) = Run("--data-dir", _folder, "--manifest", manifest);
        Assert.Equal(2, exit);
        Assert.Contains("the first line must name the columns file,label,task[,positive]", error);

        (exit, _, error) = Run("--data-dir", _folder);
        Assert.Equal(2, exit);
        Assert.Contains("no manifest at", error);
    }

    [Fact]
    public void Variants_run_as_rows_with_their_options_applied()
    {
        string csv = WriteCsv(binary: true);
        string variants = Path.Combine(_folder, "variants.txt");
        File.WriteAllText(variants, "# two configurations\ntiny NumberOfHiddenUnits=1,NumberOfIterations=1,ValidationFraction=0\nbig NumberOfHiddenUnits=16  # a comment\n");
        string json = Path.Combine(_folder, "variants.json");
        (int exit, string output, string error) = Run("--data", csv, "--label", "y", "--task", "binary", "--positive", "yes",
            "--trainers", "tinynet", "--variants", variants, "--json", json, "--out", _folder);
        Assert.True(exit == 0, error);
        Assert.Contains("tinynet:tiny: NumberOfHiddenUnits=1, NumberOfIterations=1, ValidationFraction=0", output);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement[] rows = [.. doc.RootElement.EnumerateArray()];
        Assert.Equal(["tinynet:tiny", "tinynet:big"], rows.Select(r => r.GetProperty("trainer").GetString()));
        // One epoch of one hidden unit is a worse model than the defaults with 16: the options were applied.
        Assert.True(rows[0].GetProperty("metrics").GetProperty("logLoss").GetDouble() > rows[1].GetProperty("metrics").GetProperty("logLoss").GetDouble());

        File.WriteAllText(variants, "a NumberOfHiddenUnits=2\na NumberOfHiddenUnits=3\n");
        (exit, _, error) = Run("--variants", variants);
        Assert.Equal(2, exit);
        Assert.Contains("line 2: the name 'a' is used twice", error);
    }

    [Theory]
    [InlineData(new[] { 1.0, 0.9, 0.8, 0.85, 0.85, 0.85, 0.7 }, 3, 0.0, 6)]      // stops when 3 epochs in a row fail to improve
    [InlineData(new[] { 1.0, 0.9, 0.8, 0.79995, 0.7999, 0.79985, 0.5 }, 3, 1e-4, 6)] // improvements below tol count as none
    [InlineData(new[] { 1.0, 0.9, 0.8, 0.7 }, 2, 0.0, 4)]                       // never stalls: the whole history
    [InlineData(new[] { 1.0, 1.0, 1.0 }, 2, 0.0, 3)]
    public void The_training_loss_stop_is_scikit_learns_rule(double[] loss, int patience, double tolerance, int expected) =>
        Assert.Equal(expected, Trainers.TrainingLossStopEpoch(loss, patience, tolerance));

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

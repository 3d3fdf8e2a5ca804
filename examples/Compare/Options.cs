using System.Globalization;
using System.Reflection;
using TinyNet.MLNet;

namespace TinyNet.Examples.Compare;

internal enum TaskKind
{
    Binary,
    Regression,
    Multiclass,
}

/// <summary>One data set to compare on.</summary>
internal sealed record DataSpec(string Name, string Path, string Label, TaskKind Task, string? Positive);

/// <summary>The normaliser the shared featurisation ends with (every trainer sees its output).</summary>
internal enum Normalizer
{
    /// <summary><c>NormalizeMeanVariance("Features")</c>: ML.NET's default, which scales without centring (fixZero: true).</summary>
    MeanVariance,

    /// <summary><c>NormalizeMeanVariance("Features", fixZero: false)</c>: centred and scaled.</summary>
    MeanVarianceCentred,

    /// <summary><c>NormalizeMinMax("Features")</c>.</summary>
    MinMax,

    /// <summary><c>NormalizeRobustScaling</c> (median and interquartile range) on the numeric columns only.</summary>
    Robust,

    /// <summary>No normaliser.</summary>
    None,
}

/// <summary>
/// One TinyNet configuration to run: its row name ("tinynet" for the defaults, "tinynet:NAME" otherwise) and option
/// overrides, each a property of <see cref="TinyNetTrainerOptions"/> (or of the task's Options subclass) set by name.
/// The pseudo-option <c>TrainingLossStop=PATIENCE:TOL</c> emulates scikit-learn's stopping rule (stop when the training
/// loss has not improved by TOL for PATIENCE epochs): trained once for NumberOfIterations epochs, then again for the
/// epoch count that rule picks from the first run's history (training is deterministic, so that is the same model).
/// </summary>
internal sealed record TinyNetVariant(string Name, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public const string TrainingLossStop = "TrainingLossStop";

    public static readonly TinyNetVariant Defaults = new("tinynet", []);

    /// <summary>Parses "Name=Value,Name=Value" (names as the Options properties spell them, case-insensitive).</summary>
    public static TinyNetVariant Parse(string name, string text, string where)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (string part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                throw new UsageException($"{where}: '{part}' is not NAME=VALUE (for example NumberOfHiddenUnits=64).");
            }

            string key = part[..eq], value = part[(eq + 1)..];
            if (!key.Equals(TrainingLossStop, StringComparison.OrdinalIgnoreCase))
            {
                // Check the name and value now, so that a typo fails before any training.
                PropertyInfo property = Find(typeof(TinyNetRegressionTrainer.Options), key) ?? Find(typeof(TinyNetBinaryTrainer.Options), key) ?? Find(typeof(TinyNetMulticlassTrainer.Options), key)
                    ?? throw new UsageException($"{where}: no TinyNet option '{key}'; options: {string.Join(", ", typeof(TinyNetRegressionTrainer.Options).GetProperties().Where(Settable).Select(p => p.Name))}, {TrainingLossStop}.");
                _ = Convert(property, value, where);
            }
            else if (ParseTrainingLossStop(value) is null)
            {
                throw new UsageException($"{where}: {TrainingLossStop} is '{value}'; write PATIENCE:TOLERANCE, for example 10:1e-4.");
            }

            settings.Add(new(key, value));
        }

        return new TinyNetVariant(name, settings);
    }

    /// <summary>(patience, tolerance) of a TrainingLossStop value, or null if it is not "P:T".</summary>
    public static (int Patience, double Tolerance)? ParseTrainingLossStop(string value)
    {
        string[] parts = value.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int p) && p >= 1 &&
               double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double t) && t >= 0
            ? (p, t)
            : null;
    }

    /// <summary>The variant's TrainingLossStop setting, if any.</summary>
    public (int Patience, double Tolerance)? Stop =>
        Settings.Where(s => s.Key.Equals(TrainingLossStop, StringComparison.OrdinalIgnoreCase)).Select(s => ParseTrainingLossStop(s.Value)).LastOrDefault();

    /// <summary>Sets every override that <paramref name="options"/>' task has (StandardizeLabel is regression's only).</summary>
    public void ApplyTo(TinyNetTrainerOptions options)
    {
        foreach ((string key, string value) in Settings)
        {
            if (Find(options.GetType(), key) is { } property)
            {
                property.SetValue(options, Convert(property, value, Name));
            }
        }
    }

    private static bool Settable(PropertyInfo p) => p.CanWrite && p.PropertyType != typeof(string) &&
        p.Name is not (nameof(TinyNetTrainerOptions.Progress) or nameof(TinyNetTrainerOptions.CancellationToken));

    private static PropertyInfo? Find(Type type, string key) =>
        type.GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { } p && Settable(p) ? p : null;

    private static object Convert(PropertyInfo property, string value, string where)
    {
        Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        try
        {
            return type.IsEnum ? Enum.Parse(type, value, ignoreCase: true) : System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidCastException or OverflowException)
        {
            throw new UsageException($"{where}: {property.Name} = '{value}' is not a valid {type.Name}.");
        }
    }
}

/// <summary>The command line, parsed. <see cref="Parse"/> throws <see cref="UsageException"/> with a message for the user.</summary>
internal sealed record CommandLine(
    IReadOnlyList<DataSpec> Data, IReadOnlyList<string>? Trainers, string? Json, string OutputFolder,
    Normalizer Normalizer, IReadOnlyList<TinyNetVariant> Variants, IReadOnlyList<string> Skipped,
    string? ExportSplits = null, string? PeerResults = null)
{
    public const string Usage =
        "usage: Compare [--data PATH --label COLUMN --task binary|regression|multiclass [--positive VALUE] | --data-dir FOLDER [--manifest FILE]]\n" +
        "               [--trainers tinynet,sdca,...] [--normalizer meanvar|meanvar-centred|minmax|robust|none]\n" +
        "               [--tinynet NAME=VALUE,...] [--variants FILE] [--json FILE] [--out FOLDER]\n" +
        "               [--export-splits FOLDER] [--peer-results FILE]\n" +
        "  no --data or --data-dir: the bundled breast_cancer, credit_data, concrete, diabetes, shuttle, wine and penguins data sets.\n" +
        "  --data-dir: every data set its manifest lists (default FOLDER/manifest.csv; columns file,label,task,positive);\n" +
        "      examples/Compare/manifests/shared-data.csv lists the project's 31 shared data sets (docs/defaults.md).\n" +
        "  trainers: binary tinynet, sdca, lbfgs, fasttree, lightgbm; regression tinynet, sdca, ogd, fasttree, lightgbm;\n" +
        "      multiclass tinynet, lbfgs (LbfgsMaximumEntropy), sdca (SdcaMaximumEntropy), lightgbm, ova-fasttree (OneVersusAll(FastTree)).\n" +
        "  --normalizer: the featurisation's last step (default meanvar = NormalizeMeanVariance, which does not centre).\n" +
        "  --tinynet: TinyNet options to change from its defaults, by property name (for example NumberOfHiddenUnits=64).\n" +
        "  --variants: run several TinyNet configurations as rows 'tinynet:NAME'; one per line, 'NAME NAME=VALUE,...'\n" +
        "      (a line 'defaults' with no settings is TinyNet's defaults; # starts a comment).\n" +
        "  --export-splits: write FOLDER/<data set>.csv, the test rows of every split ('split,row'; row 0 = the first data\n" +
        "      line), for a peer run on the same rows (examples/Compare/peers/sklearn_peers.py).\n" +
        "  --peer-results: a JSON file of rows in --json's format (the peer script's output), printed beside the ML.NET trainers.";

    public static readonly string[] BinaryTrainers = ["tinynet", "sdca", "lbfgs", "fasttree", "lightgbm"];
    public static readonly string[] RegressionTrainers = ["tinynet", "sdca", "ogd", "fasttree", "lightgbm"];
    public static readonly string[] MulticlassTrainers = ["tinynet", "lbfgs", "sdca", "lightgbm", "ova-fasttree"];

    public static string[] TrainersFor(TaskKind task) => task switch
    {
        TaskKind.Binary => BinaryTrainers,
        TaskKind.Regression => RegressionTrainers,
        _ => MulticlassTrainers,
    };

    private static readonly string[] Names =
        ["--data", "--label", "--task", "--positive", "--json", "--trainers", "--out", "--data-dir", "--manifest", "--normalizer", "--tinynet", "--variants",
            "--export-splits", "--peer-results"];

    public static CommandLine Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                throw new UsageException(Usage, exitCode: 0);
            }

            if (!Names.Contains(name))
            {
                throw new UsageException($"Unknown argument '{name}'.\n{Usage}");
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"{name} needs a value.\n{Usage}");
            }

            values[name] = args[++i];
        }

        string? trainersText = values.GetValueOrDefault("--trainers");
        IReadOnlyList<string>? trainers = trainersText?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).ToList();
        var data = new List<DataSpec>();
        var skipped = new List<string>();
        if (values.ContainsKey("--data") && values.ContainsKey("--data-dir"))
        {
            throw new UsageException($"Give --data or --data-dir, not both.\n{Usage}");
        }

        if (values.ContainsKey("--manifest") && !values.ContainsKey("--data-dir"))
        {
            throw new UsageException($"--manifest goes with --data-dir.\n{Usage}");
        }

        if (values.TryGetValue("--data", out string? path))
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"--data: no file at '{path}'.");
            }

            string label = values.GetValueOrDefault("--label") ?? throw new UsageException($"--data needs --label COLUMN.\n{Usage}");
            TaskKind task = ParseTask(values.GetValueOrDefault("--task"), "--task") ?? throw new UsageException($"--data needs --task binary, regression or multiclass.\n{Usage}");
            data.Add(new DataSpec(Path.GetFileNameWithoutExtension(path), path, label, task, values.GetValueOrDefault("--positive")));
        }
        else
        {
            if (values.Keys.Any(k => k is "--label" or "--task" or "--positive"))
            {
                throw new UsageException($"--label, --task and --positive go with --data.\n{Usage}");
            }

            if (values.TryGetValue("--data-dir", out string? folder))
            {
                data.AddRange(Manifest.Read(folder, values.GetValueOrDefault("--manifest"), skipped));
            }
            else
            {
                string bundled = System.IO.Path.Combine(AppContext.BaseDirectory, "data");
                data.Add(new DataSpec("breast_cancer", System.IO.Path.Combine(bundled, "breast_cancer.csv"), "diagnosis", TaskKind.Binary, "malignant"));
                data.Add(new DataSpec("credit_data", System.IO.Path.Combine(bundled, "credit_data.csv"), "Status", TaskKind.Binary, "bad"));
                data.Add(new DataSpec("concrete", System.IO.Path.Combine(bundled, "concrete.csv"), "compressive_strength", TaskKind.Regression, null));
                data.Add(new DataSpec("diabetes", System.IO.Path.Combine(bundled, "diabetes.csv"), "progression", TaskKind.Regression, null));
                data.Add(new DataSpec("shuttle", System.IO.Path.Combine(bundled, "shuttle.csv"), "Class", TaskKind.Binary, "Rad.Flow"));
                data.Add(new DataSpec("wine", System.IO.Path.Combine(bundled, "wine.csv"), "class", TaskKind.Multiclass, null));
                data.Add(new DataSpec("penguins", System.IO.Path.Combine(bundled, "penguins.csv"), "species", TaskKind.Multiclass, null));
            }
        }

        if (trainers is not null)
        {
            string[] known = [.. BinaryTrainers.Union(RegressionTrainers).Union(MulticlassTrainers)];
            if (trainers.Count == 0 || trainers.FirstOrDefault(t => !known.Contains(t)) is { } unknown && unknown is not null)
            {
                throw new UsageException($"--trainers: '{trainersText}' names an unknown trainer; choose from {string.Join(", ", known)}.");
            }
        }

        Normalizer normalizer = values.GetValueOrDefault("--normalizer") switch
        {
            null or "meanvar" => Normalizer.MeanVariance,
            "meanvar-centred" or "meanvar-centered" => Normalizer.MeanVarianceCentred,
            "minmax" => Normalizer.MinMax,
            "robust" => Normalizer.Robust,
            "none" => Normalizer.None,
            var other => throw new UsageException($"--normalizer is '{other}'; choose meanvar, meanvar-centred, minmax, robust or none."),
        };

        if (values.ContainsKey("--tinynet") && values.ContainsKey("--variants"))
        {
            throw new UsageException($"Give --tinynet or --variants, not both (a variants line can hold the same settings).\n{Usage}");
        }

        IReadOnlyList<TinyNetVariant> variants = values.TryGetValue("--variants", out string? variantsFile)
            ? ReadVariants(variantsFile)
            : values.TryGetValue("--tinynet", out string? overrides)
                ? [TinyNetVariant.Parse("tinynet", overrides, "--tinynet")]
                : [TinyNetVariant.Defaults];

        if (values.TryGetValue("--peer-results", out string? peers) && !File.Exists(peers))
        {
            throw new UsageException($"--peer-results: no file at '{peers}'.");
        }

        return new CommandLine(data, trainers, values.GetValueOrDefault("--json"), values.GetValueOrDefault("--out") ?? "compare-output",
            normalizer, variants, skipped, values.GetValueOrDefault("--export-splits"), peers);
    }

    internal static TaskKind? ParseTask(string? text, string where) => text switch
    {
        "binary" => TaskKind.Binary,
        "regression" => TaskKind.Regression,
        "multiclass" => TaskKind.Multiclass,
        null => null,
        var other => throw new UsageException($"{where} is '{other}'; it must be binary, regression or multiclass."),
    };

    private static List<TinyNetVariant> ReadVariants(string file)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"--variants: no file at '{file}'.");
        }

        var variants = new List<TinyNetVariant>();
        string[] lines = File.ReadAllLines(file);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Split('#')[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            int space = line.IndexOfAny([' ', '\t']);
            string name = space < 0 ? line : line[..space];
            string where = $"{file}, line {i + 1}";
            if (variants.Any(v => v.Name == "tinynet:" + name))
            {
                throw new UsageException($"{where}: the name '{name}' is used twice.");
            }

            variants.Add(TinyNetVariant.Parse("tinynet:" + name, space < 0 ? "" : line[(space + 1)..], where));
        }

        return variants.Count > 0 ? variants : throw new UsageException($"--variants: '{file}' names no configuration.");
    }
}

/// <summary>
/// A folder's data sets: a CSV manifest with the header <c>file,label,task,positive</c>, one row per data set (task
/// binary, regression or multiclass; positive only for binary).
/// </summary>
internal static class Manifest
{
    public static List<DataSpec> Read(string folder, string? manifest, List<string> skipped)
    {
        if (!Directory.Exists(folder))
        {
            throw new UsageException($"--data-dir: no folder at '{folder}'.");
        }

        manifest ??= System.IO.Path.Combine(folder, "manifest.csv");
        if (!File.Exists(manifest))
        {
            throw new UsageException($"--data-dir: no manifest at '{manifest}'; write one (file,label,task,positive) or pass --manifest FILE.");
        }

        string[] lines = [.. File.ReadAllLines(manifest).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))];
        string[] header = lines.Length > 0 ? CsvTable.Split(lines[0]) : [];
        int file = Array.IndexOf(header, "file"), label = Array.IndexOf(header, "label"), task = Array.IndexOf(header, "task"), positive = Array.IndexOf(header, "positive");
        if (file < 0 || label < 0 || task < 0)
        {
            throw new UsageException($"{manifest}: the first line must name the columns file,label,task[,positive]; it is '{(lines.Length > 0 ? lines[0] : "")}'.");
        }

        var specs = new List<DataSpec>();
        for (int i = 1; i < lines.Length; i++)
        {
            string[] fields = CsvTable.Split(lines[i]);
            string where = $"{manifest}, line {i + 1}";
            if (fields.Length != header.Length)
            {
                throw new UsageException($"{where}: {fields.Length} fields, but the header has {header.Length}.");
            }

            string path = System.IO.Path.Combine(folder, fields[file]);
            TaskKind kind = CommandLine.ParseTask(fields[task], $"{where}: task")!.Value;
            if (!File.Exists(path))
            {
                throw new UsageException($"{where}: no file at '{path}'.");
            }

            string? positiveValue = positive >= 0 && fields[positive].Length > 0 ? fields[positive] : null;
            if (kind != TaskKind.Binary && positiveValue is not null)
            {
                throw new UsageException($"{where}: a {fields[task]} data set has no positive class; leave 'positive' empty.");
            }

            specs.Add(new DataSpec(System.IO.Path.GetFileNameWithoutExtension(path), path, fields[label], kind, positiveValue));
        }

        return specs.Count > 0 ? specs : throw new UsageException($"{manifest}: lists no data set.");
    }
}

/// <summary>A problem with the arguments or data, told to the user without a stack trace.</summary>
internal sealed class UsageException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

namespace TinyNet.Examples.Compare;

internal enum TaskKind
{
    Binary,
    Regression,
}

/// <summary>One data set to compare on.</summary>
internal sealed record DataSpec(string Name, string Path, string Label, TaskKind Task, string? Positive);

/// <summary>The command line, parsed. <see cref="Parse"/> throws <see cref="UsageException"/> with a message for the user.</summary>
internal sealed record CommandLine(IReadOnlyList<DataSpec> Data, IReadOnlyList<string>? Trainers, string? Json, string OutputFolder)
{
    public const string Usage =
        "usage: Compare [--data PATH --label COLUMN --task binary|regression [--positive VALUE]] [--json FILE] [--trainers tinynet,sdca,...] [--out FOLDER]\n" +
        "  no --data: the bundled breast_cancer, credit_data, concrete, diabetes and shuttle data sets.\n" +
        "  trainers: binary tinynet, sdca, lbfgs, fasttree, lightgbm; regression tinynet, sdca, ogd, fasttree, lightgbm.";

    public static readonly string[] BinaryTrainers = ["tinynet", "sdca", "lbfgs", "fasttree", "lightgbm"];
    public static readonly string[] RegressionTrainers = ["tinynet", "sdca", "ogd", "fasttree", "lightgbm"];

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

            if (name is not ("--data" or "--label" or "--task" or "--positive" or "--json" or "--trainers" or "--out"))
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
        if (values.TryGetValue("--data", out string? path))
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"--data: no file at '{path}'.");
            }

            string label = values.GetValueOrDefault("--label") ?? throw new UsageException($"--data needs --label COLUMN.\n{Usage}");
            TaskKind task = values.GetValueOrDefault("--task") switch
            {
                "binary" => TaskKind.Binary,
                "regression" => TaskKind.Regression,
                null => throw new UsageException($"--data needs --task binary or --task regression.\n{Usage}"),
                var other => throw new UsageException($"--task is '{other}'; it must be binary or regression."),
            };
            data.Add(new DataSpec(Path.GetFileNameWithoutExtension(path), path, label, task, values.GetValueOrDefault("--positive")));
        }
        else
        {
            if (values.Keys.Any(k => k is "--label" or "--task" or "--positive"))
            {
                throw new UsageException($"--label, --task and --positive go with --data.\n{Usage}");
            }

            string folder = System.IO.Path.Combine(AppContext.BaseDirectory, "data");
            data.Add(new DataSpec("breast_cancer", System.IO.Path.Combine(folder, "breast_cancer.csv"), "diagnosis", TaskKind.Binary, "malignant"));
            data.Add(new DataSpec("credit_data", System.IO.Path.Combine(folder, "credit_data.csv"), "Status", TaskKind.Binary, "bad"));
            data.Add(new DataSpec("concrete", System.IO.Path.Combine(folder, "concrete.csv"), "compressive_strength", TaskKind.Regression, null));
            data.Add(new DataSpec("diabetes", System.IO.Path.Combine(folder, "diabetes.csv"), "progression", TaskKind.Regression, null));
            data.Add(new DataSpec("shuttle", System.IO.Path.Combine(folder, "shuttle.csv"), "Class", TaskKind.Binary, "Rad.Flow"));
        }

        if (trainers is not null)
        {
            string[] known = [.. BinaryTrainers.Union(RegressionTrainers)];
            if (trainers.Count == 0 || trainers.FirstOrDefault(t => !known.Contains(t)) is { } unknown && unknown is not null)
            {
                throw new UsageException($"--trainers: '{trainersText}' names an unknown trainer; choose from {string.Join(", ", known)}.");
            }
        }

        return new CommandLine(data, trainers, values.GetValueOrDefault("--json"), values.GetValueOrDefault("--out") ?? "compare-output");
    }
}

/// <summary>A problem with the arguments or data, told to the user without a stack trace.</summary>
internal sealed class UsageException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

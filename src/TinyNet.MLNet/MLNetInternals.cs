using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace TinyNet.MLNet;

/// <summary>
/// Every use of an ML.NET internal, in one file. ML.NET 5.0 and 6.0 keep the save/load plumbing of third-party transformers
/// internal (ModelSaveContext.Writer, ModelLoadContext, VersionInfo, LoadableClassAttribute, TrainerInfo's constructor); these members are reached
/// with [UnsafeAccessor] and reflection. <see cref="EnsureAvailable"/> checks all of them at first use and fails with a
/// message naming the ML.NET version if one is missing, so a future ML.NET breaks loudly, never silently.
/// </summary>
internal static class MLNetInternals
{
    public const string LoadContextType = "Microsoft.ML.ModelLoadContext, Microsoft.ML.Core";

    private static readonly Assembly Core = typeof(ModelSaveContext).Assembly;
    private static readonly Lazy<string?> Problem = new(FindProblem);

    /// <summary>The ML.NET version this process runs with.</summary>
    public static string MLNetVersion =>
        typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ??
        typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "unknown";

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "Writer")]
    private static extern ref BinaryWriter SaveWriter(ModelSaveContext ctx);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "CheckAtModel")]
    private static extern void SaveCheckAtModel(ModelSaveContext ctx);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "Reader")]
    private static extern ref BinaryReader LoadReader([UnsafeAccessorType(LoadContextType)] object ctx);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "CheckAtModel")]
    private static extern void LoadCheckAtModel([UnsafeAccessorType(LoadContextType)] object ctx);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Owner")]
    private static extern TrainCatalogBase GetOwner(TrainCatalogBase.CatalogInstantiatorBase catalog);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Environment")]
    private static extern IHostEnvironment GetEnvironment(TrainCatalogBase catalog);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "Create")]
    private static extern SchemaShape CreateShape(SchemaShape? declaringType, DataViewSchema schema);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern TrainerInfo NewTrainerInfo(bool normalization, bool calibration, bool caching, bool supportValid, bool supportIncrementalTrain, bool supportTest);

    /// <summary>A TrainerInfo (its constructor is internal to ML.NET, as for every trainer outside it).</summary>
    public static TrainerInfo TrainerInfo(bool normalization, bool caching, bool supportValid, bool supportIncrementalTrain)
    {
        EnsureAvailable();
        return NewTrainerInfo(normalization, calibration: false, caching, supportValid, supportIncrementalTrain, supportTest: false);
    }

    /// <summary>The SchemaShape of a schema (ML.NET's SchemaShape.Create, internal; its Column constructor is internal too).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema)
    {
        EnsureAvailable();
        return CreateShape(null, schema);
    }

    /// <summary>Throws if any internal member this file needs is missing from the loaded ML.NET.</summary>
    public static void EnsureAvailable()
    {
        if (Problem.Value is { } problem)
        {
            throw new InvalidOperationException(
                $"TinyNet.MLNet cannot save or load models with ML.NET {MLNetVersion}: {problem}. " +
                "TinyNet.MLNet supports Microsoft.ML 5.0.x and 6.0.x; use one of those or a TinyNet release built for yours.");
        }
    }

    /// <summary>The environment (and so the log) of the MLContext a trainer catalog belongs to.</summary>
    public static IHostEnvironment Environment(TrainCatalogBase.CatalogInstantiatorBase catalog) => GetEnvironment(GetOwner(catalog));

    /// <summary>Begins a TinyNet payload in ML.NET's model stream: checks the position, writes the version header, returns the writer.</summary>
    public static BinaryWriter BeginSave(ModelSaveContext ctx, string modelSignature, string loaderSignature)
    {
        EnsureAvailable();
        SaveCheckAtModel(ctx);
        typeof(ModelSaveContext).GetMethod("SetVersionInfo", BindingFlags.Instance | BindingFlags.NonPublic)!
            .Invoke(ctx, [Version(modelSignature, loaderSignature)]);
        return SaveWriter(ctx);
    }

    /// <summary>
    /// The reader of an ML.NET model stream handed to a loader, positioned at the TinyNet payload, after checking that
    /// the stream holds a TinyNet model (ML.NET's header: model signature and version).
    /// </summary>
    public static BinaryReader BeginLoad(object ctx, string modelSignature, string loaderSignature)
    {
        EnsureAvailable();
        LoadCheckAtModel(ctx);
        try
        {
            Type.GetType(LoadContextType)!.GetMethod("CheckVersionInfo")!.Invoke(ctx, [Version(modelSignature, loaderSignature)]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidDataException($"This is not a TinyNet model, or its header is damaged: {e.InnerException.Message}");   // no inner: the base exception stays TinyNet's
        }

        return LoadReader(ctx);
    }

    // ML.NET's header version stays 1.1 for ever; TinyNet's own payload carries its format version (TinyNetPredictionTransformer).
    private static object Version(string modelSignature, string loaderSignature) =>
        Activator.CreateInstance(VersionInfoType()!,
            modelSignature, 0x00010001u, 0x00010001u, 0x00010001u, typeof(MLNetInternals).Assembly.FullName, loaderSignature, null)!;

    /// <summary>
    /// Registers TinyNet.MLNet, which carries ML.NET's (internal) LoadableClassAttribute naming
    /// <see cref="TinyNetPredictionTransformer.Create"/>, added after compilation by tools/TinyNet.AddLoader. ML.NET does
    /// this itself when it loads a model saved by TinyNet (the model header names this assembly); registering twice is
    /// harmless, ML.NET caches registered assemblies by name.
    /// </summary>
    public static void Register(ComponentCatalog catalog)
    {
        EnsureAvailable();
        catalog.RegisterAssembly(typeof(MLNetInternals).Assembly);
    }

    private static Type? VersionInfoType() => Core.GetType("Microsoft.ML.VersionInfo");

    private static string? FindProblem()
    {
        try
        {
            if (VersionInfoType()?.GetConstructor([typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string)]) is null)
            {
                return "the struct Microsoft.ML.VersionInfo or its constructor is missing";
            }

            if (typeof(ModelSaveContext).GetMethod("SetVersionInfo", BindingFlags.Instance | BindingFlags.NonPublic) is null)
            {
                return "ModelSaveContext.SetVersionInfo is missing";
            }

            if (typeof(ModelSaveContext).GetField("Writer", BindingFlags.Instance | BindingFlags.NonPublic) is null)
            {
                return "ModelSaveContext.Writer is missing";
            }

            Type? load = Type.GetType(LoadContextType);
            if (load?.GetField("Reader") is null || load.GetMethod("CheckAtModel", Type.EmptyTypes) is null || load.GetMethod("CheckVersionInfo") is null)
            {
                return "ModelLoadContext.Reader, CheckAtModel() or CheckVersionInfo is missing";
            }

            if (!typeof(MLNetInternals).Assembly.GetCustomAttributes().Any(a => a.GetType().FullName == "Microsoft.ML.LoadableClassAttribute"))
            {
                return "TinyNet.MLNet.dll carries no usable LoadableClassAttribute (tools/TinyNet.AddLoader adds it at build time; " +
                       "either this build skipped that step, or the runtime dropped the attribute because Microsoft.ML.LoadableClassAttribute changed)";
            }

            if (typeof(TrainCatalogBase).GetProperty("Environment", BindingFlags.Instance | BindingFlags.NonPublic) is null ||
                typeof(TrainCatalogBase.CatalogInstantiatorBase).GetProperty("Owner", BindingFlags.Instance | BindingFlags.NonPublic) is null)
            {
                return "TrainCatalogBase.Environment or CatalogInstantiatorBase.Owner is missing";
            }

            if (typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic, [typeof(DataViewSchema)]) is null)
            {
                return "SchemaShape.Create(DataViewSchema) is missing";
            }

            if (typeof(TrainerInfo).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [.. Enumerable.Repeat(typeof(bool), 6)]) is null)
            {
                return "the TrainerInfo(bool × 6) constructor is missing";
            }

            return null;
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }
}

// Adds [assembly: Microsoft.ML.LoadableClass(typeof(TinyNetPredictionTransformer), null, typeof(SignatureLoadModel),
//     "TinyNet prediction", "TinyNetPredictor")] to TinyNet.MLNet.dll right after it is compiled.
//
// ML.NET finds model loaders through that attribute, which is internal to Microsoft.ML.Core, so C# cannot write it.
// ML.NET loads and registers the assembly named in a model's header when it loads the model, so with the attribute
// on TinyNet.MLNet itself (which also carries IgnoresAccessChecksTo("Microsoft.ML.Core"), without which the runtime
// silently drops an attribute of an inaccessible type), mlContext.Model.Load needs no registration call at all.
//
// It also declares that TinyNetPredictionTransformer implements Microsoft.ML.Data's internal, non-generic
// ISingleFeaturePredictionTransformer (FeatureColumnName, FeatureColumnType: the public properties the transformer already
// has implement it by name), which ML.NET's PermutationFeatureImportance(catalog, ITransformer model, …) overloads look
// for in a pipeline; C# cannot name an inaccessible interface, and the runtime accepts it under IgnoresAccessChecksTo.
//
// Usage: TinyNet.AddLoader <TinyNet.MLNet.dll> <Microsoft.ML.Core.dll> <Microsoft.ML.Data.dll>. Idempotent: what the
// assembly already has is left alone.
using Mono.Cecil;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: TinyNet.AddLoader <TinyNet.MLNet.dll> <Microsoft.ML.Core.dll> <Microsoft.ML.Data.dll>");
    return 2;
}

const string TransformerType = "TinyNet.MLNet.TinyNetPredictionTransformer";
const string LoaderSignature = "TinyNetPredictor";
const string SingleFeatureInterface = "Microsoft.ML.ISingleFeaturePredictionTransformer";
string target = args[0];
var resolver = new DefaultAssemblyResolver();
resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
bool hasSymbols = File.Exists(Path.ChangeExtension(target, ".pdb"));
byte[] image = File.ReadAllBytes(target);
byte[]? symbols = hasSymbols ? File.ReadAllBytes(Path.ChangeExtension(target, ".pdb")) : null;

using (var input = new MemoryStream(image))
using (var symbolInput = symbols is null ? null : new MemoryStream(symbols))
using (AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters
{
    AssemblyResolver = resolver,
    ReadSymbols = hasSymbols,
    SymbolStream = symbolInput,
}))
using (AssemblyDefinition core = AssemblyDefinition.ReadAssembly(args[1], new ReaderParameters { AssemblyResolver = resolver }))
using (AssemblyDefinition data = AssemblyDefinition.ReadAssembly(args[2], new ReaderParameters { AssemblyResolver = resolver }))
{
    ModuleDefinition module = assembly.MainModule;
    TypeDefinition transformer = module.GetType(TransformerType)
        ?? throw new InvalidOperationException(TransformerType + " not found in " + target);
    bool hasAttribute = assembly.CustomAttributes.Any(a => a.AttributeType.FullName == "Microsoft.ML.LoadableClassAttribute");
    bool hasInterface = transformer.Interfaces.Any(i => i.InterfaceType.FullName == SingleFeatureInterface);
    if (hasAttribute && hasInterface)
    {
        return 0;
    }

    if (!hasInterface)
    {
        TypeDefinition singleFeature = data.MainModule.GetType(SingleFeatureInterface)
            ?? throw new InvalidOperationException(SingleFeatureInterface + " not found in " + args[2]);
        foreach (MethodDefinition method in singleFeature.Methods)
        {
            // The runtime maps an interface method to a public virtual method of the same name and signature.
            if (!transformer.Methods.Any(m => m.Name == method.Name && m.IsPublic && m.IsVirtual && m.Parameters.Count == method.Parameters.Count))
            {
                throw new InvalidOperationException($"{TransformerType} has no public virtual {method.Name} to implement {SingleFeatureInterface} with.");
            }
        }

        transformer.Interfaces.Add(new InterfaceImplementation(module.ImportReference(singleFeature)));
    }

    if (hasAttribute)
    {
        assembly.Write(target, new WriterParameters { WriteSymbols = hasSymbols, DeterministicMvid = true });
        return 0;
    }

    TypeDefinition attribute = core.MainModule.GetType("Microsoft.ML.LoadableClassAttribute")
        ?? throw new InvalidOperationException("Microsoft.ML.LoadableClassAttribute not found in " + args[1]);
    TypeDefinition signature = core.MainModule.GetType("Microsoft.ML.SignatureLoadModel")
        ?? throw new InvalidOperationException("Microsoft.ML.SignatureLoadModel not found in " + args[1]);
    MethodDefinition constructor = attribute.Methods.Single(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 5 &&
        m.Parameters[0].ParameterType.FullName == "System.Type" && m.Parameters[1].ParameterType.FullName == "System.Type" &&
        m.Parameters[2].ParameterType.FullName == "System.Type" && m.Parameters[3].ParameterType.FullName == "System.String" &&
        m.Parameters[4].ParameterType.FullName == "System.String[]");
    TypeReference typeType = module.ImportReference(typeof(Type));
    TypeReference stringType = module.TypeSystem.String;
    var custom = new CustomAttribute(module.ImportReference(constructor));
    custom.ConstructorArguments.Add(new CustomAttributeArgument(typeType, transformer));
    custom.ConstructorArguments.Add(new CustomAttributeArgument(typeType, null));
    custom.ConstructorArguments.Add(new CustomAttributeArgument(typeType, module.ImportReference(signature)));
    custom.ConstructorArguments.Add(new CustomAttributeArgument(stringType, "TinyNet prediction"));
    custom.ConstructorArguments.Add(new CustomAttributeArgument(new ArrayType(stringType),
        new[] { new CustomAttributeArgument(stringType, LoaderSignature) }));
    assembly.CustomAttributes.Add(custom);

    assembly.Write(target, new WriterParameters { WriteSymbols = hasSymbols, DeterministicMvid = true });
}

Console.WriteLine($"TinyNet.AddLoader: added ML.NET's LoadableClassAttribute and ISingleFeaturePredictionTransformer to {Path.GetFileName(target)}");
return 0;

// Adds [assembly: Microsoft.ML.LoadableClass(typeof(TinyNetPredictionTransformer), null, typeof(SignatureLoadModel),
//     "TinyNet prediction", "TinyNetPredictor")] to TinyNet.MLNet.dll right after it is compiled.
//
// ML.NET finds model loaders through that attribute, which is internal to Microsoft.ML.Core, so C# cannot write it.
// ML.NET loads and registers the assembly named in a model's header when it loads the model, so with the attribute
// on TinyNet.MLNet itself (which also carries IgnoresAccessChecksTo("Microsoft.ML.Core"), without which the runtime
// silently drops an attribute of an inaccessible type), mlContext.Model.Load needs no registration call at all.
//
// Usage: TinyNet.AddLoader <TinyNet.MLNet.dll> <Microsoft.ML.Core.dll>. Idempotent: an assembly that already has the
// attribute is left alone.
using Mono.Cecil;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: TinyNet.AddLoader <TinyNet.MLNet.dll> <Microsoft.ML.Core.dll>");
    return 2;
}

const string TransformerType = "TinyNet.MLNet.TinyNetPredictionTransformer";
const string LoaderSignature = "TinyNetPredictor";
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
{
    if (assembly.CustomAttributes.Any(a => a.AttributeType.FullName == "Microsoft.ML.LoadableClassAttribute"))
    {
        return 0;
    }

    ModuleDefinition module = assembly.MainModule;
    TypeDefinition attribute = core.MainModule.GetType("Microsoft.ML.LoadableClassAttribute")
        ?? throw new InvalidOperationException("Microsoft.ML.LoadableClassAttribute not found in " + args[1]);
    TypeDefinition signature = core.MainModule.GetType("Microsoft.ML.SignatureLoadModel")
        ?? throw new InvalidOperationException("Microsoft.ML.SignatureLoadModel not found in " + args[1]);
    MethodDefinition constructor = attribute.Methods.Single(m => m.IsConstructor && !m.IsStatic && m.Parameters.Count == 5 &&
        m.Parameters[0].ParameterType.FullName == "System.Type" && m.Parameters[1].ParameterType.FullName == "System.Type" &&
        m.Parameters[2].ParameterType.FullName == "System.Type" && m.Parameters[3].ParameterType.FullName == "System.String" &&
        m.Parameters[4].ParameterType.FullName == "System.String[]");
    TypeDefinition transformer = module.GetType(TransformerType)
        ?? throw new InvalidOperationException(TransformerType + " not found in " + target);

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

Console.WriteLine($"TinyNet.AddLoader: added ML.NET's LoadableClassAttribute to {Path.GetFileName(target)}");
return 0;

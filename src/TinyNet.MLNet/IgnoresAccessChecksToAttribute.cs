// Read by the runtime, not the compiler: lets this assembly's own metadata name Microsoft.ML.Core's internal
// LoadableClassAttribute and Microsoft.ML.Data's internal ISingleFeaturePredictionTransformer (both added after
// compilation by tools/TinyNet.AddLoader) without the runtime dropping the one or refusing the other.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices;

/// <summary>Lets this assembly see the internals of the named assembly at run time (used by ML.NET model loading).</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The assembly whose internals this one may see.</summary>
    public string AssemblyName { get; } = assemblyName;
}

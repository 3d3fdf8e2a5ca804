// Read by the runtime, not the compiler: lets this assembly's own metadata name Microsoft.ML.Core's internal
// LoadableClassAttribute (added after compilation by tools/TinyNet.AddLoader) without the runtime dropping it.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]

namespace System.Runtime.CompilerServices;

/// <summary>Lets this assembly see the internals of the named assembly at run time (used by ML.NET model loading).</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The assembly whose internals this one may see.</summary>
    public string AssemblyName { get; } = assemblyName;
}

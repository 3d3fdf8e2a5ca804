namespace TinyNet;

/// <summary>
/// Size checks made before allocating: a shape that cannot be allocated (more elements than a .NET array holds, or
/// more bytes than this process may use) is refused up front with the number of bytes it would take, instead of an
/// <see cref="OverflowException"/>, an <see cref="OutOfMemoryException"/> or a silently wrapped length later.
/// </summary>
internal static class Sizes
{
    /// <summary>The bytes this process may use: the machine's memory or the container's limit, as the GC sees it.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Bytes in words: "4.8 GB", "512 KB".</summary>
    public static string Format(double bytes) => bytes switch
    {
        >= 1e9 => $"{bytes / 1e9:0.#} GB",
        >= 1e6 => $"{bytes / 1e6:0.#} MB",
        >= 1e3 => $"{bytes / 1e3:0.#} KB",
        _ => $"{bytes:0} bytes",
    };

    /// <summary>Throws an <see cref="ArgumentException"/> if one array of <paramref name="length"/> elements cannot exist.</summary>
    public static void CheckArray(double length, int elementSize, string what, string paramName)
    {
        if (length > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{what} would need one array of {length:0} elements ({Format(length * elementSize)}); a .NET array holds at most {Array.MaxLength:N0}.",
                paramName);
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> if <paramref name="bytes"/> exceed what this process may use.</summary>
    public static void CheckMemory(double bytes, string what, string advice, string paramName)
    {
        long available = AvailableBytes;
        if (bytes > available)
        {
            throw new ArgumentException(
                $"{what} would take about {Format(bytes)} of memory; this process can use {Format(available)}. {advice}", paramName);
        }
    }
}

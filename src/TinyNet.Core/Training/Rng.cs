namespace TinyNet;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fully specified generator, so that a seed gives the same
/// initialisation and shuffles on every runtime and CPU (unlike <see cref="Random"/>, whose algorithm is an
/// implementation detail of .NET).
/// </summary>
internal struct Rng(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for n &lt; 2^32).</summary>
    public int NextInt(int n) => (int)((NextUInt64() >> 32) * (ulong)n >> 32);

    /// <summary>Fisher–Yates shuffle of <paramref name="order"/> in place.</summary>
    public void Shuffle(Span<int> order)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}

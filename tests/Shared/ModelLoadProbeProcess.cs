using System.Diagnostics;
using Xunit;

namespace TinyNet.Tests.Shared;

/// <summary>
/// Runs tests/ModelLoadProbe (built beside the calling test project: a ProjectReference with ReferenceOutputAssembly
/// false) in a process of its own and returns its exit code, standard output and standard error. Linked into the test
/// projects that use it.
/// </summary>
internal static class ModelLoadProbeProcess
{
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        string probe = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "ModelLoadProbe", "bin",
            new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/', '\\')).Parent!.Name, "net10.0", "ModelLoadProbe.dll"));
        Assert.True(File.Exists(probe), $"the probe is not built at {probe}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(probe);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the probe did not finish within 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TinyNet.Examples.Compare;

/// <summary>The splits: stratified 80/20 per seed; the CSV written again with their flags __test0..4; their test rows exported.</summary>
internal static class SplitFile
{
    /// <summary>For each split, which rows are its test rows.</summary>
    public static bool[][] TestRows(string[] strata) => [.. Enumerable.Range(0, CompareApp.Splits).Select(s => Pick(strata, 0.2, seed: s))];

    /// <summary>FOLDER/&lt;data set&gt;.csv: "split,row" for every test row of every split (row 0 is the first data line).</summary>
    public static void Export(string folder, DataSpec spec, bool[][] test)
    {
        Directory.CreateDirectory(folder);
        var sb = new StringBuilder("split,row\n");
        for (int s = 0; s < test.Length; s++)
        {
            for (int i = 0; i < test[s].Length; i++)
            {
                if (test[s][i])
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{s},{i}\n");
                }
            }
        }

        File.WriteAllText(Path.Combine(folder, spec.Name + ".csv"), sb.ToString());
    }

    public static string Write(CsvTable table, bool[][] test)
    {
        int n = table.Rows.Count;
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-compare-{Guid.NewGuid():N}.csv");
        var sb = new StringBuilder();
        sb.Append(string.Join(',', table.Header.Select(Quote)));
        for (int s = 0; s < CompareApp.Splits; s++)
        {
            sb.Append($",__test{s}");
        }

        sb.Append('\n');
        for (int i = 0; i < n; i++)
        {
            sb.Append(table.Lines[i]);
            for (int s = 0; s < CompareApp.Splits; s++)
            {
                sb.Append(test[s][i] ? ",1" : ",0");
            }

            sb.Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
        return path;
    }

    public static IDataView Load(MLContext ml, CsvTable table, string path, int labelIndex, DataSpec spec)
    {
        var columns = new List<TextLoader.Column>();
        for (int c = 0; c < table.Header.Length; c++)
        {
            bool text = !table.IsNumeric[c] || (c == labelIndex && spec.Task != TaskKind.Regression);
            columns.Add(new TextLoader.Column(table.Header[c], text ? DataKind.String : DataKind.Single, c));
        }

        for (int s = 0, c = table.Header.Length; s < CompareApp.Splits; s++, c++)
        {
            columns.Add(new TextLoader.Column($"__test{s}", DataKind.Single, c));
        }

        return ml.Data.LoadFromTextFile(path, new TextLoader.Options { Separators = [','], HasHeader = true, AllowQuoting = true, Columns = [.. columns] });
    }

    /// <summary>A seeded random fraction of the rows, stratified (the same fraction of each stratum: class, or all rows for regression).</summary>
    private static bool[] Pick(string[] strata, double fraction, int seed)
    {
        var picked = new bool[strata.Length];
        var random = new Random(seed);
        foreach (IGrouping<string, int> group in Enumerable.Range(0, strata.Length).GroupBy(i => strata[i]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int[] members = [.. group];
            random.Shuffle(members);
            foreach (int i in members.Take((int)Math.Round(fraction * members.Length)))
            {
                picked[i] = true;
            }
        }

        return picked;
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}

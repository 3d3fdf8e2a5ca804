using System.Globalization;
using System.Text;

namespace TinyNet.Examples.Compare;

/// <summary>A CSV file read as text: header, rows of fields, and which columns are numeric.</summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, List<string[]> rows, string[] lines)
    {
        Header = header;
        Rows = rows;
        Lines = lines;
        IsNumeric = [.. Enumerable.Range(0, header.Length).Select(c => rows.All(r => r[c].Length == 0 || IsNumber(r[c])))];
    }

    public string[] Header { get; }

    public List<string[]> Rows { get; }

    /// <summary>The raw data lines (without the header), for writing them back with extra columns.</summary>
    public string[] Lines { get; }

    /// <summary>Numeric if every non-empty value parses as a number.</summary>
    public bool[] IsNumeric { get; }

    public static CsvTable Read(string path)
    {
        string[] all = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (all.Length < 2)
        {
            throw new InvalidDataException($"{path} has no data rows (a header line and at least one row are needed).");
        }

        string[] header = Split(all[0]);
        var rows = new List<string[]>(all.Length - 1);
        for (int i = 1; i < all.Length; i++)
        {
            string[] fields = Split(all[i]);
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"{path}, line {i + 1}: {fields.Length} fields, but the header has {header.Length}.");
            }

            rows.Add(fields);
        }

        return new CsvTable(header, rows, all[1..]);
    }

    public static bool IsNumber(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Splits one CSV line (RFC 4180 quoting, no line breaks inside fields), unquoting fields.</summary>
    public static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}

namespace TinyNet;

/// <summary>
/// Training or validation data: N rows of D features (float, row-major), N labels and optional per-sample
/// weights. Checked once when created: no empty data, no ragged rows, every value finite, weights ≥ 0 and not all 0.
/// Whether labels fit the head (0 or 1 for binary classification) is checked by <see cref="Trainer"/>.
/// </summary>
public sealed class DataSet
{
    private DataSet(ReadOnlyMemory<float> features, int rowCount, int columnCount, ReadOnlyMemory<float> labels, ReadOnlyMemory<float>? weights)
    {
        Features = features;
        RowCount = rowCount;
        ColumnCount = columnCount;
        Labels = labels;
        Weights = weights;
        WeightSum = weights is { } s ? Sum(s.Span) : rowCount;
    }

    /// <summary>N rows × D columns, row-major: row i is <c>Features[i * D .. (i + 1) * D]</c>.</summary>
    public ReadOnlyMemory<float> Features { get; }

    /// <summary>N.</summary>
    public int RowCount { get; }

    /// <summary>D.</summary>
    public int ColumnCount { get; }

    /// <summary>N labels.</summary>
    public ReadOnlyMemory<float> Labels { get; }

    /// <summary>N sample weights, or null when every sample weighs 1.</summary>
    public ReadOnlyMemory<float>? Weights { get; }

    /// <summary>Row <paramref name="i"/>'s D features.</summary>
    public ReadOnlySpan<float> Row(int i) => Features.Span.Slice(i * ColumnCount, ColumnCount);

    /// <summary>
    /// Data from a row-major buffer. The arrays are used as they are, not copied: do not change them afterwards.
    /// </summary>
    /// <param name="features">N × <paramref name="columnCount"/> values, row after row.</param>
    /// <param name="columnCount">D, the number of features per row; at least 1.</param>
    /// <param name="labels">N labels.</param>
    /// <param name="weights">N non-negative sample weights, or null for all 1.</param>
    public static DataSet FromRowMajor(float[] features, int columnCount, float[] labels, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (columnCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(columnCount), columnCount,
                $"columnCount (D) must be at least 1 (got {columnCount}).");
        }

        if (labels.Length == 0)
        {
            throw new ArgumentException("labels is empty: the data set has no rows; at least one row is required.", nameof(labels));
        }

        if (features.Length != (long)labels.Length * columnCount)
        {
            throw new ArgumentException(
                $"features holds {features.Length} values but {labels.Length} labels × {columnCount} columns need {(long)labels.Length * columnCount}; " +
                "pass one label per row and exactly D features per row.", nameof(features));
        }

        Validate(features, columnCount, labels, weights);
        return new DataSet(features, labels.Length, columnCount, labels, Optional(weights));
    }

    /// <summary>
    /// The same rows and weights with other labels (for example standardised ones); the features are shared, not copied.
    /// </summary>
    public DataSet WithLabels(float[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != RowCount)
        {
            throw new ArgumentException($"labels holds {labels.Length} values; pass one per row ({RowCount}).", nameof(labels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i]))
            {
                throw new ArgumentException($"labels: row {i} is {labels[i]}; every label must be a finite number.", nameof(labels));
            }
        }

        return new DataSet(Features, RowCount, ColumnCount, labels, Weights);
    }

    /// <summary>
    /// The same labels and weights with other features of the same shape (for example standardised ones); labels and
    /// weights are shared, not copied. Checks that every feature is finite.
    /// </summary>
    public DataSet WithFeatures(float[] features)
    {
        if (features.Length != Features.Length)
        {
            throw new ArgumentException($"features holds {features.Length} values; pass {Features.Length} (N × D).", nameof(features));
        }

        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
            {
                throw new ArgumentException(
                    $"features: row {i / ColumnCount}, column {i % ColumnCount} is {features[i]}; every feature must be a finite number.", nameof(features));
            }
        }

        return new DataSet(features, RowCount, ColumnCount, Labels, Weights);
    }

    /// <summary>Data from one array per row. Copies the rows; every row must have the same length.</summary>
    public static DataSet FromRows(IReadOnlyList<float[]> rows, float[] labels, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Count == 0)
        {
            throw new ArgumentException("rows is empty: the data set has no rows; at least one row is required.", nameof(rows));
        }

        if (rows.Count != labels.Length)
        {
            throw new ArgumentException($"There are {rows.Count} rows but {labels.Length} labels; pass one label per row.", nameof(labels));
        }

        int d = rows[0]?.Length ?? 0;
        if (d == 0)
        {
            throw new ArgumentException("rows: row 0 has no features; every row needs at least one.", nameof(rows));
        }

        Sizes.CheckArray((double)rows.Count * d, sizeof(float), $"{rows.Count} rows × {d} features", nameof(rows));
        var features = new float[rows.Count * d];
        for (int i = 0; i < rows.Count; i++)
        {
            float[]? row = rows[i];
            if (row is null || row.Length != d)
            {
                throw new ArgumentException(
                    $"rows: row {i} has {row?.Length ?? 0} features but row 0 has {d}; every row must have the same number of features.",
                    nameof(rows));
            }

            row.CopyTo(features, i * d);
        }

        return FromRowMajor(features, d, labels, weights);
    }

    /// <summary>Data from a rectangular array (rows × columns).</summary>
    public static DataSet FromMatrix(float[,] features, float[] labels, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = features.GetLength(0);
        int d = features.GetLength(1);
        Sizes.CheckArray((double)n * d, sizeof(float), $"features with {n} rows × {d} columns", nameof(features));
        var flat = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                flat[i * d + j] = features[i, j];
            }
        }

        if (n > 0 && d == 0)
        {
            throw new ArgumentException("features has 0 columns; every row needs at least one feature.", nameof(features));
        }

        return FromRowMajor(flat, Math.Max(d, 1), labels, weights);
    }

    private static void Validate(float[] features, int d, float[] labels, float[]? weights)
    {
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
            {
                throw new ArgumentException(
                    $"features: row {i / d}, column {i % d} is {features[i]}; every feature must be a finite number (replace missing values first).",
                    nameof(features));
            }
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i]))
            {
                throw new ArgumentException($"labels: row {i} is {labels[i]}; every label must be a finite number.", nameof(labels));
            }
        }

        if (weights is null)
        {
            return;
        }

        if (weights.Length != labels.Length)
        {
            throw new ArgumentException($"weights holds {weights.Length} values; pass one per row ({labels.Length}) or null.", nameof(weights));
        }

        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (!float.IsFinite(weights[i]) || weights[i] < 0)
            {
                throw new ArgumentException($"weights: row {i} is {weights[i]}; every weight must be a finite number ≥ 0.", nameof(weights));
            }

            sum += weights[i];
        }

        if (sum == 0)
        {
            throw new ArgumentException(
                $"weights: all {weights.Length} sample weights are 0, so there is nothing to train on or measure; at least one row needs a positive weight.",
                nameof(weights));
        }
    }

    /// <summary>
    /// At most <paramref name="maxRows"/> rows spread evenly over the data (rows ⌊k·N / maxRows⌋), copied; the data itself
    /// when it is no larger, or when the sampled rows' weights are all 0.
    /// </summary>
    internal DataSet Subsample(int maxRows)
    {
        if (RowCount <= maxRows)
        {
            return this;
        }

        int d = ColumnCount;
        var x = new float[(long)maxRows * d];
        var y = new float[maxRows];
        float[]? s = Weights is null ? null : new float[maxRows];
        ReadOnlySpan<float> features = Features.Span, labels = Labels.Span, weights = Weights is { } w ? w.Span : default;
        for (int k = 0; k < maxRows; k++)
        {
            int row = (int)((long)k * RowCount / maxRows);
            features.Slice(row * d, d).CopyTo(x.AsSpan(k * d, d));
            y[k] = labels[row];
            if (s is not null)
            {
                s[k] = weights[row];
            }
        }

        return s is not null && !s.AsSpan().ContainsAnyExcept(0f) ? this : new DataSet(x, maxRows, d, y, Optional(s));
    }

    /// <summary>
    /// Splits off a seeded random <paramref name="fraction"/> of the rows as a hold-out set (stratified by label when the
    /// labels are classes 0 … <paramref name="classCount"/> − 1: each class gives the same fraction, at least one row of a
    /// class with two or more, and never its last row: every class present keeps at least one row in training), for
    /// <see cref="TrainerOptions.ValidationFraction"/>. Null when either part would be empty or weigh nothing.
    /// </summary>
    /// <param name="fraction">The share of rows to hold out.</param>
    /// <param name="classCount">The classes to stratify by (2 for binary), or 0 not to stratify (regression).</param>
    /// <param name="seed">The seed of the split.</param>
    internal (DataSet Fit, DataSet HoldOut)? SplitHoldOut(double fraction, int classCount, ulong seed)
    {
        bool stratify = classCount > 0;
        int n = RowCount;
        var rng = new Rng(seed ^ 0x0DD5_CA1E_0F_5E_7UL);
        var held = new bool[n];
        int heldCount = 0;
        ReadOnlySpan<float> labels = Labels.Span;
        foreach (int[] group in stratify ? GroupsByLabel(labels, classCount) : [Enumerable.Range(0, n).ToArray()])
        {
            rng.Shuffle(group);
            int take = (int)Math.Round(fraction * group.Length);
            if (take == 0 && group.Length >= 2 && stratify)
            {
                take = 1;
            }

            if (take >= group.Length && group.Length > 0 && stratify)
            {
                take = group.Length - 1;   // every class keeps a row to train on, however large the fraction
            }

            foreach (int i in group.AsSpan(0, take))
            {
                held[i] = true;
            }

            heldCount += take;
        }

        if (heldCount == 0 || heldCount == n)
        {
            return null;
        }

        DataSet fit = Rows(held, false, n - heldCount), holdOut = Rows(held, true, heldCount);
        return fit.WeightSum > 0 && holdOut.WeightSum > 0 ? (fit, holdOut) : null;
    }

    /// <summary>The rows of each class 0 … K − 1, in order (labels already checked to be classes).</summary>
    private static int[][] GroupsByLabel(ReadOnlySpan<float> labels, int classCount)
    {
        var groups = new List<int>[classCount];
        for (int k = 0; k < classCount; k++)
        {
            groups[k] = [];
        }

        for (int i = 0; i < labels.Length; i++)
        {
            groups[(int)labels[i]].Add(i);
        }

        return [.. groups.Select(g => g.ToArray())];
    }

    /// <summary>The rows i with <c>pick[i] == value</c>, in order, copied.</summary>
    private DataSet Rows(bool[] pick, bool value, int count)
    {
        int d = ColumnCount;
        var x = new float[(long)count * d];
        var y = new float[count];
        float[]? s = Weights is null ? null : new float[count];
        ReadOnlySpan<float> features = Features.Span, labels = Labels.Span, weights = Weights is { } w ? w.Span : default;
        for (int i = 0, k = 0; i < pick.Length; i++)
        {
            if (pick[i] != value)
            {
                continue;
            }

            features.Slice(i * d, d).CopyTo(x.AsSpan(k * d, d));
            y[k] = labels[i];
            if (s is not null)
            {
                s[k] = weights[i];
            }

            k++;
        }

        return new DataSet(x, count, d, y, Optional(s));
    }

    /// <summary>Σ sᵢ, the total sample weight: N without weights.</summary>
    public double WeightSum { get; }

    /// <summary>
    /// No weights for null. Spelled out because both shorter forms are wrong: a null float[] converts implicitly to an
    /// empty, not a null, ReadOnlyMemory, and so does the literal null in <c>w is null ? null : new ReadOnlyMemory(w)</c>
    /// (through the same user-defined conversion); either would read as "weighted, total weight 0".
    /// </summary>
    private static ReadOnlyMemory<float>? Optional(float[]? weights) => weights is null ? default(ReadOnlyMemory<float>?) : weights.AsMemory();

    private static double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return sum;
    }
}

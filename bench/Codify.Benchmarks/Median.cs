namespace Codify.Benchmarks;

/// <summary>The middle of a series (the mean of the two middle values for an even count): robust to the odd slow outlier.</summary>
public static class Median
{
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}

namespace Codify.Benchmarks.EndToEnd;

/// <summary>The measured programs: the same for the raw interpreter and for Codify.</summary>
public static class Workload
{
    public const string PythonHello = "print('Hello, World!')\n";

    public const string NodeHello = "console.log('Hello, World!');\n";

    public const string Expected = "Hello, World!\n";

    /// <summary>Issue 13's data-science snippet: what every such run pays before its first line is the import.</summary>
    public const string NumpyPandas = "import numpy, pandas; print(pandas.DataFrame({'a': [1, 2]}).sum())\n";

    public const string NumpyPandasExpected = "a    3\ndtype: int64\n";

    public static readonly string[] Languages = ["python", "javascript"];

    public static string Code(string language) => language == "python" ? PythonHello : NodeHello;
}

/// <summary>One snippet to send: its language, code and the stdout it must print.</summary>
public sealed record Snippet(string Language, string Code, string Expected)
{
    public static Snippet Hello(string language) => new(language, Workload.Code(language), Workload.Expected);

    public static Snippet NumpyPandas { get; } = new("python", Workload.NumpyPandas, Workload.NumpyPandasExpected);

    /// <summary>The file the raw interpreter runs (in <see cref="RawStarts"/>' folder).</summary>
    public string FileName => this == NumpyPandas ? "numpy_pandas.py" : Language == "python" ? "main.py" : "main.js";
}

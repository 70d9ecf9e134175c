namespace Codify.Benchmarks.EndToEnd;

/// <summary>The measured program: a hello world, the same for the raw interpreter and for Codify.</summary>
public static class Workload
{
    public const string PythonHello = "print('Hello, World!')\n";

    public const string NodeHello = "console.log('Hello, World!');\n";

    public const string Expected = "Hello, World!\n";

    public static readonly string[] Languages = ["python", "javascript"];

    public static string Code(string language) => language == "python" ? PythonHello : NodeHello;
}

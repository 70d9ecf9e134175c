using Codify.Contracts;

namespace Codify.Tests.Sandbox.Capture;

/// <summary>
/// Rich outputs of one-shot runs (<c>outputs: true</c>): matplotlib figures as PNG, a trailing expression's value as a
/// notebook shows it, the caps, and nothing of it without the flag or in stdout. Cold here; warm in the pooled class.
/// </summary>
[SandboxTier]
public class RichOutputTests(CaptureSandboxFixture sandbox) : IClassFixture<CaptureSandboxFixture>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    protected CaptureSandboxFixture Sandbox { get; } = sandbox;

    protected Task<ExecutionResult> RunAsync(string code, bool outputs = true, string language = "python") =>
        Sandbox.Runner.RunAsync("capture", new ExecutionSpec(language, code, null, SandboxRunnerFixture.Limits(wallMs: 30_000), Outputs: outputs),
            CancellationToken.None);

    [Fact]
    public async Task A_matplotlib_plot_comes_back_as_a_png_and_stdout_stays_the_programs_own()
    {
        var result = await RunAsync("""
            import matplotlib.pyplot as plt
            plt.plot([1, 4, 2, 8])
            print('drawn')
            """);

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Equal("drawn\n", result.Stdout);
        var png = Convert.FromBase64String(Assert.Single(result.Outputs!, o => o.Type == RichOutput.Png).Data);
        Assert.Equal(PngSignature, png[..8]);
        Assert.True(png.Length > 2000, $"a {png.Length}-byte PNG is too small for a line plot");
        Assert.False(result.OutputsTruncated);
    }

    [Fact]
    public async Task Every_plt_show_returns_its_figures_in_order_and_nothing_is_returned_twice()
    {
        var result = await RunAsync("""
            import matplotlib.pyplot as plt
            plt.figure(figsize=(2, 2)); plt.plot([1, 2]); plt.show()
            plt.figure(figsize=(6, 2)); plt.plot([2, 1]); plt.show()
            """);

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Equal([RichOutput.Png, RichOutput.Png], result.Outputs!.Select(o => o.Type));
        var widths = result.Outputs!.Select(o => PngWidth(Convert.FromBase64String(o.Data))).ToList();
        Assert.True(widths[0] < widths[1], $"figures out of order: widths {widths[0]}, {widths[1]}");
    }

    [Fact]
    public async Task A_trailing_DataFrame_comes_back_as_html_and_plain_text()
    {
        var result = await RunAsync("""
            import pandas as pd
            frame = pd.DataFrame({'city': ['Oslo', 'Lima'], 'rain': [763, 6]})
            frame
            """);

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Equal("", result.Stdout);
        var html = Assert.Single(result.Outputs!, o => o.Type == RichOutput.Html).Data;
        Assert.Contains("<table", html, StringComparison.Ordinal);
        Assert.Contains("<td>Oslo</td>", html, StringComparison.Ordinal);
        Assert.Contains("Lima", Assert.Single(result.Outputs!, o => o.Type == RichOutput.Text).Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trailing_expression_ending_in_a_semicolon_or_a_statement_shows_nothing()
    {
        var silenced = await RunAsync("x = 41\nx + 1;");
        var statement = await RunAsync("x = 41\nx += 1");
        var shown = await RunAsync("x = 41\nx + 1");

        Assert.Equal([], silenced.Outputs!);
        Assert.Equal([], statement.Outputs!);
        Assert.Equal(new RichOutput(RichOutput.Text, "42"), Assert.Single(shown.Outputs!));
    }

    [Fact]
    public async Task Without_the_flag_nothing_is_captured_and_the_last_value_is_not_shown()
    {
        var result = await RunAsync("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n6 * 7", outputs: false);

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Null(result.Outputs);
        Assert.Null(result.OutputsTruncated);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task More_figures_than_the_cap_are_cut_to_the_cap_and_flagged_not_failed()
    {
        var result = await RunAsync("""
            import matplotlib.pyplot as plt
            for i in range(5):
                plt.figure(figsize=(1, 1)); plt.plot([0, i])
            """);

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal(CaptureSandboxFixture.MaxOutputs, result.Outputs!.Count);
        Assert.True(result.OutputsTruncated);
    }

    [Fact]
    public async Task A_failing_program_keeps_its_plain_traceback_and_the_figures_it_drew()
    {
        var result = await RunAsync("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nraise ValueError('boom')");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Equal(1, result.ExitCode);
        // As `python3 main.py` prints it: the program's own frame only, nothing of the capture.
        Assert.Equal("Traceback (most recent call last):\n  File \"/box/main.py\", line 3, in <module>\n    raise ValueError('boom')\nValueError: boom\n",
            result.Stderr);
        Assert.Equal(RichOutput.Png, Assert.Single(result.Outputs!).Type);
    }

    [Fact]
    public async Task Records_a_program_forges_on_the_channel_stay_within_the_known_types_and_the_caps()
    {
        var result = await RunAsync("""
            import json
            with open('/.codify/capture.out', 'a') as channel:
                channel.write(json.dumps({'kind': 'output', 'type': 'application/x-evil', 'data': 'x'}) + '\n')
                channel.write('{"kind": "output", "type": "text/plain", "data": "forged"}\n')
                channel.write('not json at all\n' + 'y' * 300000 + '\n')
                channel.write(json.dumps({'kind': 'output', 'type': 'image/png', 'data': '***not base64***'}) + '\n')
                for i in range(10):
                    channel.write(json.dumps({'kind': 'output', 'type': 'text/plain', 'data': str(i)}) + '\n')
            print('ok')
            """);

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Equal("ok\n", result.Stdout);
        Assert.All(result.Outputs!, o => Assert.Equal(RichOutput.Text, o.Type));
        Assert.Equal(CaptureSandboxFixture.MaxOutputs, result.Outputs!.Count);
        Assert.True(result.OutputsTruncated);
    }

    [Fact]
    public async Task Node_returns_an_empty_list_of_outputs()
    {
        var result = await RunAsync("console.log(6 * 7)", language: "javascript");

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Equal("42\n", result.Stdout);
        Assert.Equal([], result.Outputs!);
        Assert.False(result.OutputsTruncated);
    }

    /// <summary>The width from a PNG's IHDR chunk (big-endian, bytes 16-19).</summary>
    private static int PngWidth(byte[] png) => (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
}

/// <summary>The same, every python run served by a warm sandbox.</summary>
public sealed class PooledRichOutputTests(PooledCaptureSandboxFixture sandbox) : RichOutputTests(sandbox), IClassFixture<PooledCaptureSandboxFixture>;

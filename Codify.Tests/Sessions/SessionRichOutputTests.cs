using Codify.Contracts;

namespace Codify.Tests.Sessions;

/// <summary>
/// Python session cells return rich outputs like a one-shot run: figures as PNG (shown or left open), a DataFrame as
/// HTML and text; a cell's figures are taken at its end, so none leaks into the next cell.
/// </summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionRichOutputTests(SessionsFixture stack)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task A_plot_cell_returns_a_png_and_the_next_cell_returns_no_figure()
    {
        var session = await stack.CreateAsync();
        var plot = await stack.RunAsync(session.Id, "import matplotlib.pyplot as plt\nplt.plot([1, 4, 2, 8])\nprint('drawn')", timeout: 30);
        Assert.True(plot.Status == ExecutionStatus.Completed, plot.Stderr);
        Assert.Equal("drawn\n", plot.Stdout);
        var png = Convert.FromBase64String(Assert.Single(plot.Outputs!, o => o.Type == RichOutput.Png).Data);
        Assert.Equal(PngSignature, png[..8]);
        Assert.True(png.Length > 2000, $"a {png.Length}-byte PNG is too small for a line plot");

        var next = await stack.RunAsync(session.Id, "x = 1\nplt.get_fignums()");
        Assert.True(next.Status == ExecutionStatus.Completed, next.Stderr);
        Assert.Equal(new RichOutput(RichOutput.Text, "[]"), Assert.Single(next.Outputs!));
        await stack.CloseAsync(session.Id);
    }

    [Fact]
    public async Task A_DataFrame_as_the_last_expression_returns_html_and_plain_text()
    {
        var session = await stack.CreateAsync();
        var cell = await stack.RunAsync(session.Id, "import pandas as pd\nframe = pd.DataFrame({'city': ['Oslo', 'Lima'], 'rain': [763, 6]})\nframe", timeout: 30);
        Assert.True(cell.Status == ExecutionStatus.Completed, cell.Stderr);
        Assert.Equal([RichOutput.Html, RichOutput.Text], cell.Outputs!.Select(o => o.Type));
        Assert.Contains("<table", cell.Outputs![0].Data, StringComparison.Ordinal);
        Assert.Contains("Oslo", cell.Outputs![1].Data, StringComparison.Ordinal);
        await stack.CloseAsync(session.Id);
    }
}

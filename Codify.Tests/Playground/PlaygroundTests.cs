using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Codify.Tests.Playground;

/// <summary>The playground page in headless Chromium against the real API, Redis and Sandbox: what a visitor can do.</summary>
[Collection(PlaygroundGroup.Name)]
[EndToEndTier]
public sealed class PlaygroundTests(PlaygroundFixture stack)
{
    [Fact]
    public async Task A_python_run_streams_stdout_and_stderr_apart_and_shows_its_verdict_and_measures()
    {
        var page = new PlaygroundPage(await stack.OpenPageAsync());

        await page.WriteAsync("python", "import sys\nprint('hello from python')\nprint('careful', file=sys.stderr)\nsys.exit(3)");
        await page.RunAsync();

        await page.ExpectVerdictAsync("runtime error");
        await Expect(page.Output.Locator(".stdout")).ToHaveTextAsync("hello from python\n");
        await Expect(page.Output.Locator(".stderr")).ToContainTextAsync("careful");
        await Expect(page.Page.Locator("[data-field=exit]")).ToHaveTextAsync("3");
        await Expect(page.Page.Locator("[data-field=wall]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ ms$"));
        await Expect(page.Page.Locator("[data-field=cpu]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ ms$"));
        await Expect(page.Page.Locator("[data-field=memory]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d MiB$"));
    }

    [Fact]
    public async Task A_javascript_run_started_with_ctrl_enter_shows_its_output()
    {
        var page = new PlaygroundPage(await stack.OpenPageAsync());

        await page.WriteAsync("javascript", "const answer = 6 * 7;\nconsole.log(`answer ${answer}`);");
        await page.Page.Keyboard.PressAsync("Control+Enter");

        await page.ExpectVerdictAsync("completed");
        await Expect(page.Output).ToHaveTextAsync("answer 42\n");
        await Expect(page.Page.Locator("[data-field=exit]")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task Input_typed_while_the_program_runs_answers_its_input_call()
    {
        var page = new PlaygroundPage(await stack.OpenPageAsync());

        await page.WriteAsync("python", "import sys\n\nname = input('Your name? ')\nprint(f'Hello, {name}!')\nprint('(a note on stderr)', file=sys.stderr)");
        await page.RunAsync();
        // The prompt arrived, so the program is running and waiting on its stdin.
        await Expect(page.Output).ToContainTextAsync("Your name? ");
        await page.TypeInputAsync("Ada");

        await page.ExpectVerdictAsync("completed");
        await Expect(page.Output.Locator(".stdout").Last).ToContainTextAsync("Hello, Ada!");
        await Expect(page.Output.Locator(".stdin")).ToContainTextAsync("Ada");
        await ScreenshotIfAskedAsync(page.Page);
    }

    [Fact]
    public async Task A_program_past_its_timeout_gets_the_time_limit_verdict()
    {
        var page = new PlaygroundPage(await stack.OpenPageAsync());

        await page.WriteAsync("python", "while True:\n    pass");
        await page.SetTimeoutAsync("1");
        await page.RunAsync();

        await page.ExpectVerdictAsync("time limit exceeded");
    }

    [Fact]
    public async Task Stop_kills_a_running_program()
    {
        var page = new PlaygroundPage(await stack.OpenPageAsync());

        await page.WriteAsync("python", "import time\nprint('started', flush=True)\ntime.sleep(25)\nprint('woke')");
        await page.RunAsync();
        await Expect(page.Output).ToContainTextAsync("started");
        await page.StopAsync();

        await page.ExpectVerdictAsync("cancelled");
        await Expect(page.Output).Not.ToContainTextAsync("woke");
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Run" })).ToBeEnabledAsync();
    }

    [Fact]
    public async Task The_link_reopens_a_run_with_its_result_and_in_the_same_browser_its_code()
    {
        var first = new PlaygroundPage(await stack.OpenPageAsync());
        await first.WriteAsync("python", "print('kept for later')");
        await first.RunAsync();
        await first.ExpectVerdictAsync("completed");
        var link = await first.Link.GetAttributeAsync("href");
        Assert.Matches("^#.+", link);

        var again = new PlaygroundPage(await first.Page.Context.NewPageAsync());
        await again.Page.GotoAsync(first.Page.Url);
        await again.ExpectVerdictAsync("completed");
        await Expect(again.Output).ToHaveTextAsync("kept for later\n");
        await Expect(again.Page.Locator(".cm-content")).ToHaveTextAsync("print('kept for later')");

        // Another browser has the result from the server, and is told the code is not kept there.
        var elsewhere = new PlaygroundPage(await stack.OpenPageAsync(fragment: link!));
        await elsewhere.ExpectVerdictAsync("completed");
        await Expect(elsewhere.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("not stored on the server");
    }

    [Fact]
    public async Task With_api_keys_the_key_field_unlocks_the_languages_and_runs_over_the_websocket()
    {
        var page = new PlaygroundPage(await stack.OpenPageAsync(stack.Keyed));
        await Expect(page.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("API key");

        await page.Page.GetByText("API key", new() { Exact = true }).ClickAsync();
        await page.Page.GetByLabel("API key (needed when the server has API_KEYS)").FillAsync(PlaygroundFixture.Key);
        await page.Page.GetByLabel("API key (needed when the server has API_KEYS)").PressAsync("Tab");
        await Expect(page.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Ready.");
        await page.WriteAsync("python", "print('with a key')");
        await page.RunAsync();

        await page.ExpectVerdictAsync("completed");
        await Expect(page.Output).ToHaveTextAsync("with a key\n");
    }

    [Fact]
    public async Task At_phone_width_the_page_fits_without_sideways_scrolling()
    {
        var page = await stack.OpenPageAsync(width: 375);

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

        Assert.Equal(0, overflow);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run" })).ToBeInViewportAsync();
    }

    /// <summary>scripts/screenshot-playground.sh sets PLAYGROUND_SCREENSHOT to retake the README's picture.</summary>
    private static async Task ScreenshotIfAskedAsync(IPage page)
    {
        if (Environment.GetEnvironmentVariable("PLAYGROUND_SCREENSHOT") is { Length: > 0 } path)
        {
            await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        }
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Codify.Tests.Playground;

/// <summary>What a visitor does on the playground page, in the page's own words (labels, buttons), for the tests.</summary>
public sealed class PlaygroundPage(IPage page)
{
    public IPage Page => page;

    public ILocator Output => page.GetByRole(AriaRole.Log, new() { Name = "Program output" });

    public ILocator Verdict => page.Locator("[data-field=verdict]");

    public ILocator Link => page.Locator("#permalink a");

    /// <summary>Chooses the language and replaces the editor's text, as pasted (no auto-indent or bracket closing).</summary>
    public async Task WriteAsync(string language, string code)
    {
        await page.GetByLabel("Language").SelectOptionAsync(language);
        await page.Locator(".cm-content").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.InsertTextAsync(code);
    }

    public Task SetTimeoutAsync(string seconds) => page.GetByLabel("Timeout (s)").FillAsync(seconds);

    public Task RunAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();

    public Task StopAsync() => page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();

    public async Task TypeInputAsync(string line)
    {
        await page.GetByLabel("Input to the running program").FillAsync(line);
        await page.GetByLabel("Input to the running program").PressAsync("Enter");
    }

    /// <summary>Waits (Playwright's retrying assertion) for the verdict of the run that ends.</summary>
    public Task ExpectVerdictAsync(string verdict) => Expect(Verdict).ToHaveTextAsync(new Regex("^" + verdict));
}

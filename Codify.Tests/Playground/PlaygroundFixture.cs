using Codify.Contracts;
using Codify.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Codify.Tests.Playground;

/// <summary>
/// Real Redis + real Sandbox + the API on Kestrel (<see cref="Open"/> without keys, <see cref="Keyed"/> with
/// <see cref="Key"/>), and Debian's headless Chromium driven by Playwright: the page as a visitor sees it.
/// </summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    public const string Key = "playground-test-key-0001";

    /// <summary>The system browser (scripts/install-deps.sh installs it): Playwright downloads none.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright _playwright = null!;

    public RedisServer Redis { get; private set; } = null!;

    public SandboxFactory Sandbox { get; private set; } = null!;

    public KestrelApi Open { get; private set; } = null!;

    public KestrelApi Keyed { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Sandbox = new SandboxFactory(Redis.ConnectionString);
        _ = Sandbox.Server;
        Open = KestrelApi.Start(Redis.ConnectionString);
        Keyed = KestrelApi.Start(Redis.ConnectionString, new Dictionary<string, string?> { ["API_KEYS"] = Key });
        // Runs wait for a sandbox on a busy machine: a page assertion retries this long before it fails.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        await Eventually.ReturnsAsync(
            () => Redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes),
            count => count > 0, TimeSpan.FromSeconds(30), "a healthy sandbox heartbeat");
    }

    /// <summary>A fresh browser context (its own localStorage) on the playground of <paramref name="api"/>, ready to use.</summary>
    public async Task<IPage> OpenPageAsync(KestrelApi? api = null, string fragment = "", int width = 1280)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => errors.Add($"console.{message.Type}: {message.Text}");
        await page.GotoAsync(new Uri((api ?? Open).Address, "/playground" + fragment).ToString());
        try
        {
            await Assertions.Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"The page did not get ready; its errors: {string.Join(" | ", errors)}", e);
        }

        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Keyed.DisposeAsync();
        await Open.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PlaygroundGroup : ICollectionFixture<PlaygroundFixture>
{
    public const string Name = "playground";
}

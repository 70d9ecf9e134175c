using Codify.Contracts;

namespace Codify.ExecutionApi.Runtimes;

/// <summary>Resolves a language and an optional requested <c>version</c> against the runtimes the Sandbox published.</summary>
public sealed class RuntimeVersionCheck(RuntimeCatalog catalog)
{
    /// <summary>What <see cref="ResolveAsync"/> found: the installed runtime, and why it does not fit the request (if it does not).</summary>
    public sealed record Outcome(RuntimeInfo? Installed, string? Mismatch)
    {
        /// <summary>No Sandbox has published this language yet: the version cannot be known (503, not the client's fault).</summary>
        public bool Unpublished => Installed is null;
    }

    public async Task<Outcome> ResolveAsync(string language, string? version) =>
        Resolve(await catalog.GetAllAsync(), language, version);

    public static Outcome Resolve(IReadOnlyList<RuntimeInfo> runtimes, string language, string? version)
    {
        var runtime = runtimes.FirstOrDefault(r => r.Language == language);
        if (runtime is null)
        {
            return new Outcome(null, null);
        }

        return version is null || runtime.Matches(version)
            ? new Outcome(runtime, null)
            : new Outcome(runtime, $"{language} {version} is not installed: the available version is {runtime.Version} (give it exactly, a prefix such as \"{runtime.Version.Split('.')[0]}\", or \"*\")");
    }
}

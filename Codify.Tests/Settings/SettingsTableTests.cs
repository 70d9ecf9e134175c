using Codify.AppHost;

namespace Codify.Tests.Settings;

/// <summary>
/// README's settings table is the options classes, rendered: a setting added, renamed or given a new default or range
/// fails here until README says so. <c>CODIFY_WRITE_SETTINGS_TABLE=1 dotnet test --filter SettingsTableTests</c>
/// rewrites the table in README.md.
/// </summary>
[UnitTier]
public sealed class SettingsTableTests
{
    [Fact]
    public void The_readme_table_lists_exactly_the_settings_of_the_options_classes()
    {
        var path = Path.Combine(RepositoryRoot(), "README.md");
        var readme = File.ReadAllText(path);
        var begin = readme.IndexOf(SettingsTable.Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(SettingsTable.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md has no block between {SettingsTable.Begin} and {SettingsTable.End}");
        var start = begin + SettingsTable.Begin.Length + 1;
        var expected = SettingsTable.Render();

        if (Environment.GetEnvironmentVariable("CODIFY_WRITE_SETTINGS_TABLE") == "1")
        {
            File.WriteAllText(path, readme[..start] + expected + readme[end..]);
            return;
        }

        Assert.Equal(expected, readme[start..end]);
    }

    [Fact]
    public void Run_sh_forwards_every_section_each_service_binds_and_only_to_it()
    {
        Assert.Equal(BoundOptions.TopSections(BoundOptions.Api), ServiceSettings.ExecutionApiSections.Order(StringComparer.Ordinal));
        Assert.Equal(BoundOptions.TopSections(BoundOptions.Sandbox), ServiceSettings.SandboxSections.Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Codify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Codify.sln not found above the test binaries");
    }
}

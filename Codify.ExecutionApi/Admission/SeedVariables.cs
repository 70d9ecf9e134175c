using System.Globalization;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// The seed's flat environment variables (RATE_LIMIT_POINTS, …) read over an options section. A value that is not a whole
/// number is not silently ignored: <see cref="WholeNumbers{TOptions}"/> fails start-up with a message naming the variable.
/// An empty variable counts as unset (the AppHost forwards only non-empty ones, too).
/// </summary>
public static class SeedVariables
{
    /// <summary>The variable's value when it is a whole number, else <paramref name="current"/> (the validator reports the bad text).</summary>
    public static int ReadInt(IConfiguration configuration, string name, int current) =>
        TryParse(configuration[name], out var value) ? value : current;

    internal static bool TryParse(string? text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out value);

    /// <summary>Fails validation of <typeparamref name="TOptions"/> for each named variable that is set but not a whole number.</summary>
    public sealed class WholeNumbers<TOptions>(IConfiguration configuration, params string[] names) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var failures = names
                .Where(n => !string.IsNullOrWhiteSpace(configuration[n]) && !TryParse(configuration[n], out _))
                .Select(n => $"{n} must be a whole number; got '{configuration[n]}'")
                .ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

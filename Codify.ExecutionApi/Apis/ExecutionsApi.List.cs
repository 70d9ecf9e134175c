using System.Globalization;
using Codify.Contracts;
using Codify.ExecutionApi.Listing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Codify.ExecutionApi.Apis;

public static partial class ExecutionsApi
{
    public static async Task<Results<Ok<ExecutionPage>, ValidationProblem>> ListAsync(
        [FromQuery] string? status, [FromQuery] string? language, [FromQuery] string? cursor, [FromQuery] int? limit,
        [FromQuery] string? ids, ExecutionLister lister, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var errors = new Dictionary<string, string[]>();
        if (ids is not null)
        {
            // ids names the records outright; a filter or page beside it would be silently ignored, so it is refused.
            var beside = new[] { ("status", status), ("language", language), ("cursor", cursor), ("limit", limit?.ToString(CultureInfo.InvariantCulture)) }
                .Where(p => p.Item2 is not null).Select(p => p.Item1).ToList();
            if (beside.Count > 0)
            {
                var clash = $"ids cannot be combined with {string.Join(", ", beside)}: ids reads those executions whatever their status; list with filters without ids";
                return TypedResults.ValidationProblem(beside.Prepend("ids").ToDictionary(p => p, _ => new[] { clash }), title: "The listing query is invalid.");
            }

            var wanted = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
            if (wanted.Count is 0 or > ExecutionLister.MaxIds)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = [$"give 1 to {ExecutionLister.MaxIds} comma-separated ids"] });
            }

            return TypedResults.Ok(await lister.GetManyAsync(wanted));
        }

        var statusFilter = ParseListStatus(status, errors);
        var languageFilter = ParseListLanguage(language, errors);
        if (!ExecutionCursor.TryDecode(cursor, out var position))
        {
            errors["cursor"] = ["cursor is not one this server issued"];
        }

        if (limit is < 1 or > ExecutionLister.MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {ExecutionLister.MaxLimit}"];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The listing query is invalid.")
            : TypedResults.Ok(await lister.ListAsync(statusFilter, languageFilter, position, limit ?? ExecutionLister.DefaultLimit));
    }

    private static ExecutionStatus? ParseListStatus(string? status, Dictionary<string, string[]> errors)
    {
        if (status is null)
        {
            return null;
        }

        var match = Enum.GetValues<ExecutionStatus>().Where(s => s.ToWire() == status).Select(s => (ExecutionStatus?)s).FirstOrDefault();
        if (match is null)
        {
            errors["status"] = [$"status must be one of {string.Join(", ", Enum.GetValues<ExecutionStatus>().Select(s => s.ToWire()))}"];
        }

        return match;
    }

    private static string? ParseListLanguage(string? language, Dictionary<string, string[]> errors)
    {
        if (language is null)
        {
            return null;
        }

        var found = Languages.Find(language);
        if (found is null)
        {
            errors["language"] = [$"unsupported language '{language}'"];
        }

        return found?.Name;
    }
}

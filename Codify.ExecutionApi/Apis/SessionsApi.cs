using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Codify.ExecutionApi.Apis;

/// <summary>
/// <c>/api/sessions</c>: a live interpreter per session, its cells and its files. Every handler calls
/// <see cref="SessionService"/> and only maps its outcome (SessionsApi.Replies.cs); the files' handlers are in SessionsApi.Files.cs.
/// </summary>
public static partial class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sessions").WithTags("Sessions");
        api.MapPost("/", CreateAsync)
            .WithName("CreateSession")
            .WithSummary("Start a session: a live interpreter (python or javascript) that keeps its state between cells.");
        api.MapGet("/{id}", GetAsync)
            .WithName("GetSession")
            .WithSummary("Read one session: its status, limits, expiry and, once ended, why.");
        api.MapDelete("/{id}", CloseAsync)
            .WithName("CloseSession")
            .WithSummary("End a session: its sandbox, processes and files are gone.");
        api.MapPost("/{id}/execute", ExecuteAsync)
            .WithName("ExecuteCell")
            .WithSummary("Run one cell in the session and answer its result (one cell at a time: 409 while one runs); wait=false answers 202 at once.");
        MapFiles(api);
        return api;
    }

    public static async Task<IResult> CreateAsync(CreateSessionRequest request, SessionService sessions, HttpContext http, CancellationToken cancellationToken) =>
        Reply(http, await sessions.CreateAsync(request, ClientIdentity.Of(http), cancellationToken), created: true);

    public static async Task<IResult> GetAsync(string id, SessionService sessions, HttpContext http) =>
        Reply(http, await sessions.GetAsync(id, ClientIdentity.Of(http)));

    public static async Task<IResult> CloseAsync(string id, SessionService sessions, HttpContext http, CancellationToken cancellationToken) =>
        Reply(http, await sessions.CloseAsync(id, ClientIdentity.Of(http), cancellationToken));

    public static async Task<IResult> ExecuteAsync(
        string id, ExecuteCellRequest request, [FromQuery] bool? wait, SessionService sessions, HttpContext http, CancellationToken cancellationToken) =>
        Reply(http, wait == false
            ? await sessions.SubmitCellAsync(id, request, ClientIdentity.Of(http), cancellationToken)
            : await sessions.ExecuteAsync(id, request, ClientIdentity.Of(http), cancellationToken));

    private static IResult Reply(HttpContext http, SessionOutcome outcome, bool created = false)
    {
        RateLimitHeaders.Write(http.Response, outcome.RateLimit);
        return outcome switch
        {
            SessionFound { Session: var s } when created => TypedResults.Created($"/api/sessions/{s.Id}", s),
            SessionFound found => TypedResults.Ok(found.Session),
            CellRan { Cell: var cell } when cell.Status.IsTerminal() => TypedResults.Ok(cell),
            CellRan { Cell: var cell } => TypedResults.Accepted($"/api/execute/{cell.Id}", cell),
            SessionFileWritten written => TypedResults.Ok(written.File),
            SessionFileRead read => TypedResults.File(read.Content, "application/octet-stream", Path.GetFileName(read.Path)),
            SessionFilesListed listed => TypedResults.Ok(new SessionFileListing(listed.Files)),
            SessionNotAdmitted { Why: var why } => Intake.IntakeProblems.NotQueued(http.Response, why),
            SessionProblem problem => Problem(http.Response, problem),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.GetType().Name, "unmapped session outcome"),
        };
    }

    private static ProblemHttpResult Problem(HttpResponse response, SessionProblem problem)
    {
        if (problem.RetryAfterSeconds is { } seconds)
        {
            RetryAfter.Set(response, seconds);
        }

        var details = problem.Errors is { } errors
            ? new HttpValidationProblemDetails(errors)
            : new ProblemDetails();
        details.Status = problem.StatusCode;
        details.Title = problem.Title;
        details.Detail = problem.Detail;
        details.Extensions["reason"] = problem.Reason;
        if (problem.Session is { } session)
        {
            details.Extensions["session"] = session;
        }

        return TypedResults.Problem(details);
    }
}

/// <summary>The body of <c>GET /api/sessions/{id}/files</c>.</summary>
public sealed record SessionFileListing(IReadOnlyList<SessionFile> Files);

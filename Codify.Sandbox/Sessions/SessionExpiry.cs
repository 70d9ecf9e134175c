using Codify.Contracts.Sessions;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// Ends sessions whose idle timeout or maximum lifetime has passed (checked every second), and every session when the
/// replica stops: a session never outlives its limits, nor the replica that holds it.
/// </summary>
internal sealed class SessionExpiry(SessionHost host, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ExpireAsync(time.GetUtcNow());
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: every session ends below.
        }
    }

    public async Task ExpireAsync(DateTimeOffset now)
    {
        foreach (var session in host.Live)
        {
            if (now >= session.Plan.ExpiresAt)
            {
                await EndQuietlyAsync(session, SessionEndReasons.Lifetime);
            }
            else if (now - session.LastActivity >= session.Plan.IdleTimeout && session.Gate.CurrentCount > 0)
            {
                await EndQuietlyAsync(session, SessionEndReasons.Idle((int)session.Plan.IdleTimeout.TotalSeconds));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var session in host.Live)
        {
            await EndQuietlyAsync(session, SessionEndReasons.ReplicaStopped);
        }
    }

    private async Task EndQuietlyAsync(KernelSession session, string reason)
    {
        try
        {
            await host.EndAsync(session, reason);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The sandbox is gone all the same; the API ends the record once the replica's heartbeat stops.
        }
    }
}

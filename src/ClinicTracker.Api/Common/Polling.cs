namespace ClinicTracker.Api.Common;

/// <summary>
/// The loop of a background pass that runs on every instance (the bulk export, webhook delivery, the missed-window
/// scan): each pass claims its own work in the database, so instances never need to agree. A pass that fails (the
/// database unreachable, or not migrated yet) is reported and the next tick tries again; the first pass comes after
/// one interval, not at start. Tests call the workers' RunOnceAsync directly.
/// </summary>
public static class Polling
{
    public static async Task RunAsync(Func<CancellationToken, Task<int>> pass, TimeSpan interval, TimeProvider clock,
        Action<Exception> failed, CancellationToken stoppingToken, Action<int>? handled = null)
    {
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var count = await pass(stoppingToken);
                handled?.Invoke(count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Log the type only: exception messages may quote data.
                failed(e);
            }
        }
    }
}

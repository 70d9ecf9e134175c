namespace Codify.Sandbox.Supervision;

/// <summary>One piece of standard input arriving while the program runs; <see cref="Eof"/> closes stdin after it.</summary>
public readonly record struct StdinChunk(string Data, bool Eof);

/// <summary>Standard input of an interactive run, arriving while it runs (after the spec's own <c>stdin</c>).</summary>
public interface IStdinFeed
{
    /// <summary>Chunks in the order they were sent; ends after the <see cref="StdinChunk.Eof"/> chunk or when cancelled.</summary>
    IAsyncEnumerable<StdinChunk> ReadAsync(CancellationToken cancellationToken);
}

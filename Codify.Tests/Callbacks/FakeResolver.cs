using System.Net;
using System.Net.Sockets;
using Codify.ExecutionApi.Callbacks;

namespace Codify.Tests.Callbacks;

/// <summary>DNS without the network: each look-up of a name answers the next scripted set of addresses (the last one repeats).</summary>
public sealed class FakeResolver(params IPAddress[][] answers) : IHostAddressResolver
{
    private int _calls;

    public int Calls => _calls;

    public static FakeResolver Failing() => new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        return answers.Length == 0
            ? Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound))
            : Task.FromResult(answers[Math.Min(call, answers.Length) - 1]);
    }
}

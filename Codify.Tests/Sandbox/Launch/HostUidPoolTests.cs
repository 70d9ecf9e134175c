using Codify.Sandbox.Launch;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sandbox.Launch;

[UnitTier]
public sealed class HostUidPoolTests : IDisposable
{
    private readonly string _locks = Path.Combine(Path.GetTempPath(), $"codify-uid-locks-{Guid.NewGuid():N}");

    [Fact]
    public void Concurrent_leases_get_different_uids_and_a_released_uid_is_reused()
    {
        var pool = Pool(count: 2);

        using (var first = pool.Acquire())
        using (var second = pool.Acquire())
        {
            Assert.NotEqual(first.Uid, second.Uid);
            Assert.All(new[] { first.Uid, second.Uid }, uid => Assert.InRange(uid, 2_000_000, 2_000_001));
            Assert.Throws<IOException>(pool.Acquire);
        }

        using var again = pool.Acquire();
        Assert.InRange(again.Uid, 2_000_000, 2_000_001);
    }

    [Fact]
    public void Two_pools_on_one_host_never_hand_out_the_same_uid()
    {
        // Two replicas on one host: separate pool objects, one lock folder.
        using var first = Pool(count: 1).Acquire();

        Assert.Throws<IOException>(() => Pool(count: 1).Acquire());
        Assert.Equal(2_000_000, first.Uid);
    }

    public void Dispose()
    {
        if (Directory.Exists(_locks))
        {
            Directory.Delete(_locks, recursive: true);
        }
    }

    private HostUidPool Pool(int count) =>
        new(Options.Create(new IsolationOptions { HostUidBase = 2_000_000, HostUidCount = count, HostUidLockRoot = _locks }));
}

namespace Codify.Sandbox.Cgroups;

internal static partial class CgroupLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "cgroup v1 cpu quota unavailable, runs get CPU-time accounting only: {Reason}")]
    public static partial void CpuQuotaUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "cgroup {Dir} still had processes {TimeoutMs} ms after SIGKILL")]
    public static partial void NotEmptied(ILogger logger, string dir, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cgroup {Dir} could not be removed; it is left behind")]
    public static partial void NotRemoved(ILogger logger, string dir);

    [LoggerMessage(Level = LogLevel.Information, Message = "moved {Count} process(es) of {Dir} into {Leaf} so it can delegate controllers")]
    public static partial void MovedToLeaf(ILogger logger, int count, string dir, string leaf);
}

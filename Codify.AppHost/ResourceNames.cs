namespace Codify.AppHost;

/// <summary>Names of the resources in the app model; the tests look resources up by these.</summary>
public static class ResourceNames
{
    public const string Redis = "redis";
    public const string ExecutionApi = "executionapi";
    public const string Sandbox = "sandbox";
}

namespace Codify.Contracts;

/// <summary>A regular file the program wrote in its work dir: relative path (<c>out/data.csv</c>), size in bytes, base64 content.</summary>
public sealed record ReturnedFile(string Name, long Size, string Data);

using Codify.Contracts;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Pool;

/// <summary>
/// The interpreter commands of warm sandboxes: the cold command with a small launcher in front of the program. The launcher
/// loads with the interpreter, writes one ready byte on stdout, then blocks reading a header on stdin (8 hex digits of
/// length, then the argument count and the arguments, NUL-separated) with reads of exact byte counts, so everything
/// after the header stays unread for the program as its stdin. The program's file is the same read-only bind as a cold
/// run's (/box/main.py), filled by the host just before the header. Then the launcher runs it as the main program.
/// Node's launcher is <see cref="NodeLauncher"/>.
/// </summary>
internal static class WarmLaunchers
{
    public const byte ReadyByte = 0;

    /// <summary>
    /// Python: `python3 -E -s -u -c LAUNCHER` (the same flags as cold). It rebuilds what `python3 -E -s -u main.py args`
    /// gives the program: a fresh __main__ namespace with the same names (__file__, a SourceFileLoader, __cached__ None),
    /// sys.argv, sys.orig_argv, sys.path[0] = '/box'; the code compiled from the file with its real path, so tracebacks
    /// and linecache read it like a cold run. An uncaught exception is printed by sys.excepthook without the launcher's
    /// frame, and exits 1; SystemExit passes through untouched (exit codes and messages as cold). Only names local to the
    /// launcher function are used: nothing of it is left in the program's globals.
    /// </summary>
    public static readonly string PythonLauncher = """
        def _codify_launch():
            import os, sys
            me = sys._getframe().f_code
            def read(n):
                data = b''
                while len(data) < n:
                    chunk = os.read(0, n - len(data))
                    if not chunk:
                        os._exit(0)
                    data += chunk
                return data
            os.write(1, b'\0')
            parts = read(int(read(8), 16)).split(b'\0')
            args = [os.fsdecode(a) for a in parts[1:1 + int(parts[0])]]
            try:
                with open('/.codify/capture.json', 'rb') as f:
                    capturing = f.read(1)
            except FileNotFoundError:
                # A forked run has no capture request bound (runs asking for outputs are not forked).
                capturing = b''
            if capturing:
                # A run asking for outputs or files: the capture module (Capture/) runs it, as it does for cold runs.
                CAPTURE_MAIN
                return
            path = '/box/main.py'
            sys.argv[:] = ['main.py', *args]
            sys.orig_argv[:] = [*sys.orig_argv[:4], 'main.py', *args]
            sys.path[0] = '/box'
            loader = sys.modules['_frozen_importlib_external'].SourceFileLoader('__main__', path)
            g = sys.modules['__main__'].__dict__
            builtins = g['__builtins__']
            g.clear()
            g.update(__name__='__main__', __doc__=None, __package__=None, __loader__=loader, __spec__=None,
                     __annotations__={}, __builtins__=builtins, __file__=path, __cached__=None)
            with open(path, 'rb') as f:
                source = f.read()
            try:
                exec(compile(source, path, 'exec', dont_inherit=True), g)
            except SystemExit:
                raise
            except BaseException as e:
                tb = e.__traceback__
                while tb is not None and tb.tb_frame.f_code is me:
                    tb = tb.tb_next
                sys.excepthook(type(e), e.with_traceback(tb), tb)
                raise SystemExit(1) from None
        _codify_launch()
        """.Replace("CAPTURE_MAIN", Capture.CaptureFiles.LoadModule + ";_m.main(args)", StringComparison.Ordinal);

    /// <summary>The cold command of <paramref name="language"/> with the launcher in front of the entry file.</summary>
    public static IReadOnlyList<string> Command(IsolationOptions options, LanguageInfo language, Contracts.ExecutionLimits limits)
    {
        var cold = BubblewrapCommand.InterpreterCommand(options, language, limits, language.FileName);
        return language.Name switch
        {
            // The entry file argument becomes "-c LAUNCHER"; the flags before it stay exactly the cold ones.
            "python" => [.. cold[..^1], "-c", PythonLauncher],
            "javascript" => [.. cold[..^1], "--require", NodeLauncher.PreloadPath, cold[^1]],
            _ => throw new ArgumentOutOfRangeException(nameof(language), language.Name, "no warm launcher"),
        };
    }

    /// <summary>Host-written files the launcher needs, bound read-only (name in the run folder, content, path inside).</summary>
    public static IReadOnlyList<(string Name, string Content, string SandboxPath)> Files(LanguageInfo language) =>
        language.Name == "javascript" ? [("boot.js", NodeLauncher.Preload, NodeLauncher.PreloadPath)] : [];

    /// <summary>The header that releases the launcher: length, then argument count and arguments, NUL-separated, UTF-8.</summary>
    public static byte[] Header(IReadOnlyList<string>? args)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(string.Join('\0', [(args?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture), .. args ?? []]));
        return [.. System.Text.Encoding.ASCII.GetBytes(payload.Length.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)), .. payload];
    }
}

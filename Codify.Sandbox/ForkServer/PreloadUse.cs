namespace Codify.Sandbox.ForkServer;

/// <summary>
/// Which fork server a python program should come from: the preloaded one when its text names a preloaded module (as a
/// whole word: "numpy", not "numpyish"), else the lean one. Only a matter of speed, never of isolation: a program that imports
/// numpy without naming it (importlib, exec) runs on the lean server and imports it itself, as a cold run would.
/// </summary>
internal static class PreloadUse
{
    public static bool Names(string code, IReadOnlyList<string> modules) => modules.Any(module => NamesWord(code, module));

    private static bool NamesWord(string code, string word)
    {
        for (var at = code.IndexOf(word, StringComparison.Ordinal); at >= 0; at = code.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if ((at == 0 || !IsNamePart(code[at - 1])) && (end == code.Length || !IsNamePart(code[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';
}

using System.Text;
using Codify.Sandbox.Supervision;

namespace Codify.Tests.Sandbox.Supervision;

[UnitTier]
public sealed class OutputChunkTests
{
    [Fact]
    public async Task Chunks_decode_characters_split_across_reads_whole_and_stop_at_the_budget()
    {
        var chunks = new List<(OutputSource Source, string Text)>();
        var bytes = Encoding.UTF8.GetBytes("é€😀ok");
        using var capture = new OutputCapture(budgetBytes: bytes.Length - 1, (source, text) => chunks.Add((source, text)));

        await capture.PumpStdoutAsync(new TrickleStream(bytes), CancellationToken.None);

        Assert.Equal("é€😀o", string.Concat(chunks.Select(c => c.Text)));
        Assert.All(chunks, c => Assert.Equal(OutputSource.Stdout, c.Source));
        Assert.DoesNotContain(chunks, c => c.Text.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.True(chunks.Count > 1);
    }

    [Fact]
    public async Task A_character_cut_by_the_end_of_the_stream_becomes_a_replacement_character()
    {
        var chunks = new List<string>();
        using var capture = new OutputCapture(budgetBytes: 100, (_, text) => chunks.Add(text));

        await capture.PumpStderrAsync(new TrickleStream([(byte)'a', 0xE2, 0x82]), CancellationToken.None);

        Assert.Equal("a\uFFFD", string.Concat(chunks));
    }

    /// <summary>Hands out one byte per read, so every multi-byte character is split across reads.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Codify.Contracts;
using Codify.Contracts.Sessions;

namespace Codify.Tests.Sessions;

/// <summary>
/// Files in and out of a session, read and written by the session's own kernel inside its sandbox: plain relative paths
/// only, never through a symlink (a link the program planted cannot make the host read its own files), caps on size and count.
/// </summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionFileTests(SessionsFixture stack)
{
    [Theory]
    [InlineData("python", "rows = open('data/in.csv').read().split()\nopen('out.txt', 'w').write(str(len(rows)))\nrows", "['a,b', '1,2']")]
    [InlineData("javascript", "const fs = require('fs')\nconst rows = fs.readFileSync('data/in.csv', 'utf8').split('\\n').filter(Boolean)\nfs.writeFileSync('out.txt', String(rows.length))\nrows", "[ 'a,b', '1,2' ]")]
    public async Task An_uploaded_file_is_seen_by_cells_and_a_written_one_comes_back_listed_with_its_size(string language, string code, string shown)
    {
        var session = await stack.CreateAsync(language);
        using (var put = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/data/in.csv", new ByteArrayContent("a,b\n1,2\n"u8.ToArray())))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(new SessionFile("data/in.csv", 8), await put.Content.ReadFromJsonAsync<SessionFile>(CodifyJson.Options));
        }

        var cell = await stack.RunAsync(session.Id, code);
        Assert.Equal(shown, Assert.Single(cell.Outputs!).Data);

        Assert.Equal("2", await stack.Client.GetStringAsync($"/api/sessions/{session.Id}/files/out.txt"));
        var listing = await stack.Client.GetFromJsonAsync<FileListing>($"/api/sessions/{session.Id}/files", CodifyJson.Options);
        Assert.Equal([new SessionFile("data/in.csv", 8), new SessionFile("out.txt", 1)], listing!.Files.OrderBy(f => f.Path));
        await stack.CloseAsync(session.Id);
    }

    [Theory]
    [InlineData("python", "import os\nos.symlink('/etc/passwd', 'passwd')\nos.symlink('/', 'root')\nos.symlink('/proc/self', 'me')\nopen('real.txt', 'w').write('ok')")]
    [InlineData("javascript", "const fs = require('fs')\nfs.symlinkSync('/etc/passwd', 'passwd')\nfs.symlinkSync('/', 'root')\nfs.symlinkSync('/proc/self', 'me')\nfs.writeFileSync('real.txt', 'ok')")]
    public async Task A_symlink_the_program_planted_is_never_followed_to_a_host_file(string language, string plant)
    {
        var session = await stack.CreateAsync(language);
        await stack.RunAsync(session.Id, plant);
        var hostPasswd = await File.ReadAllTextAsync("/etc/passwd");

        foreach (var path in new[] { "passwd", "root/etc/passwd", "me/environ", "root/etc/hostname" })
        {
            using var response = await stack.Client.GetAsync($"/api/sessions/{session.Id}/files/{path}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound, $"{path}: {response.StatusCode} {body}");
            Assert.DoesNotContain(hostPasswd.Split('\n')[0], body, StringComparison.Ordinal);
        }

        using (var write = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/root/tmp/planted", new ByteArrayContent([1])))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, write.StatusCode);
        }

        var listing = await stack.Client.GetFromJsonAsync<FileListing>($"/api/sessions/{session.Id}/files", CodifyJson.Options);
        Assert.Equal([new SessionFile("real.txt", 2)], listing!.Files);
        await stack.CloseAsync(session.Id);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("a//b")]
    [InlineData("..%2Fescape.txt")]
    public async Task A_path_that_is_not_plain_and_relative_is_refused_naming_the_field(string path)
    {
        var session = await stack.CreateAsync();
        using var put = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/{path}", new ByteArrayContent([1]));
        using var get = await stack.Client.GetAsync($"/api/sessions/{session.Id}/files/{path}");
        await stack.CloseAsync(session.Id);
        foreach (var response in new[] { put, get })
        {
            var body = await response.Content.ReadAsStringAsync();
            // The router may already refuse what never names a file (404); what reaches us is a 400 naming "path".
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {response.StatusCode} {body}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Contains("\"path\"", body, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("\"data\"", body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Over_long_paths_too_big_files_and_too_many_files_are_refused_naming_the_limit()
    {
        var session = await stack.CreateAsync();
        using (var longPath = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/{new string('a', 300)}", new ByteArrayContent([1])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, longPath.StatusCode);
            Assert.Contains("Sessions:MaxPathBytes", await longPath.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var big = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/big.bin", new ByteArrayContent(new byte[SessionsFixture.MaxFileBytes + 1])))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
            Assert.Contains("Sessions:MaxFileBytes", await big.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await stack.RunAsync(session.Id, $"open('made.bin', 'wb').write(b'x' * {SessionsFixture.MaxFileBytes + 1})");
        using (var download = await stack.Client.GetAsync($"/api/sessions/{session.Id}/files/made.bin"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, download.StatusCode);
        }

        for (var i = 1; i < SessionsFixture.MaxFiles; i++)
        {
            using var ok = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/f{i}.txt", new StringContent("x", Encoding.UTF8));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var tooMany = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/one-more.txt", new StringContent("x", Encoding.UTF8));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Contains("Sessions:MaxFiles", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await stack.CloseAsync(session.Id);
    }

    private sealed record FileListing(IReadOnlyList<SessionFile> Files);
}

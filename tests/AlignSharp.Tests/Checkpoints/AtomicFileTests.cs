using AlignSharp.Checkpoints;

namespace AlignSharp.Tests.Checkpoints;

public class AtomicFileTests
{
    [Fact]
    public void WritesThroughATemporaryFileInTheSameFolderThenRenames()
    {
        using var folder = new TemporaryFolder();
        string target = folder.File("config.json");
        File.WriteAllText(target, "old");
        string[] duringWrite = [];
        AtomicFile.Write(target, stream =>
        {
            stream.Write("new content"u8);
            duringWrite = folder.FileNames();
            Assert.Equal("old", File.ReadAllText(target)); // readers still see the old file
        });

        Assert.Equal(2, duringWrite.Length);
        Assert.Matches(@"^config\.json\.tmp-[0-9a-f]{32}$", duringWrite.Single(name => name != "config.json"));
        Assert.Equal(["config.json"], folder.FileNames());
        Assert.Equal("new content", File.ReadAllText(target));
    }

    [Fact]
    public void FailureKeepsTheOldFileAndLeavesNoTemporary()
    {
        using var folder = new TemporaryFolder();
        string target = folder.File("model.safetensors");
        File.WriteAllText(target, "old");
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, stream =>
        {
            stream.Write(new byte[10_000]);
            throw new InvalidOperationException("crash halfway");
        }));
        Assert.Equal("crash halfway", error.Message);
        Assert.Equal(["model.safetensors"], folder.FileNames());
        Assert.Equal("old", File.ReadAllText(target));
    }

    [Fact]
    public void WriteAllTextIsUtf8WithoutByteOrderMark()
    {
        using var folder = new TemporaryFolder();
        string target = folder.File("generation_config.json");
        AtomicFile.WriteAllText(target, "{\"note\":\"é\"}");
        Assert.Equal([(byte)'{', (byte)'"'], File.ReadAllBytes(target)[..2]);
        Assert.Equal("{\"note\":\"é\"}", File.ReadAllText(target));
    }
}

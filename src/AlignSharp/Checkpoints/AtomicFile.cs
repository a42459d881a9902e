using System.Text;

namespace AlignSharp.Checkpoints;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a
/// half-written file: the content goes to <c>name.tmp-&lt;guid&gt;</c> in the same folder (same file
/// system, so the rename is atomic), is flushed to disk, then renamed over the target.
/// </summary>
public static class AtomicFile
{
    const int BufferBytes = 1 << 20;

    /// <summary>Writes <paramref name="path"/> with whatever <paramref name="writeContent"/> writes to the stream.</summary>
    public static void Write(string path, Action<Stream> writeContent)
    {
        string target = Path.GetFullPath(path);
        string temporary = TemporaryPathFor(target);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="contents"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string contents) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents));

    public static void WriteAllBytes(string path, byte[] bytes) =>
        Write(path, stream => stream.Write(bytes));

    /// <summary>The temporary name used for <paramref name="target"/>: same folder, unique suffix.</summary>
    internal static string TemporaryPathFor(string target) => $"{target}.tmp-{Guid.NewGuid():N}";

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { } // the original error matters more than a leftover temporary file
        catch (UnauthorizedAccessException) { }
    }
}

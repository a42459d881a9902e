using System.Text;
using System.Text.Json;

namespace AlignSharp.Data;

/// <summary>Writes JSON Lines to a temporary file and renames it on <see cref="Commit"/>, so a crash never leaves half a file.</summary>
public sealed class JsonlWriter : IDisposable
{
    readonly string _path;
    readonly string _temporaryPath;
    readonly StreamWriter _writer;
    bool _committed;

    public JsonlWriter(string path)
    {
        _path = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _temporaryPath = $"{_path}.tmp-{Guid.NewGuid():N}";
        _writer = new StreamWriter(_temporaryPath, append: false, new UTF8Encoding(false));
    }

    public void Write<T>(T row)
    {
        _writer.Write(JsonSerializer.Serialize(row));
        _writer.Write('\n');
    }

    public void Commit()
    {
        _writer.Flush();
        _writer.Dispose();
        File.Move(_temporaryPath, _path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        _writer.Dispose();
        File.Delete(_temporaryPath);
    }
}

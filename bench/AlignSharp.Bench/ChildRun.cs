using System.Diagnostics;
using System.Text.Json;

namespace AlignSharp.Bench;

/// <summary>
/// Runs one measurement in a child process, so its peak RSS (VmHWM) is its own, and reads back the single
/// <c>RESULT {json}</c> line it prints (this bench's children and bench/reference/train_step.py alike).
/// </summary>
public static class ChildRun
{
    public const string ResultPrefix = "RESULT ";

    /// <summary>This bench as a command line: the apphost, or <c>dotnet</c> and this assembly.</summary>
    public static string[] SelfCommand()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, typeof(ChildRun).Assembly.Location] : [process];
    }

    /// <summary><c>RESULT </c> + the JSON of <paramref name="result"/>: what a child prints for its parent.</summary>
    public static string ResultLine<T>(T result) => ResultPrefix + JsonSerializer.Serialize(result);

    /// <summary>The first <c>RESULT</c> line of <paramref name="output"/>, or null.</summary>
    public static T? ParseResult<T>(string output) where T : class
    {
        foreach (string line in output.Split('\n'))
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                return JsonSerializer.Deserialize<T>(line[ResultPrefix.Length..]);
        return null;
    }

    /// <summary>
    /// Runs <paramref name="command"/> (program, then arguments) and returns its result; a non-zero exit or a missing
    /// RESULT line throws with the child's output, labelled <paramref name="label"/>.
    /// </summary>
    public static T Run<T>(string label, IReadOnlyList<string> command) where T : class
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in command.Skip(1)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        T? result = ParseResult<T>(stdout);
        if (process.ExitCode != 0 || result is null)
            throw new InvalidOperationException($"{label} failed (exit {process.ExitCode}):\n{stdout}\n{stderr.Result}");
        return result;
    }
}

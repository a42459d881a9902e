using System.Diagnostics;

namespace AlignSharp.Tests.Cli;

/// <summary>Runs the real `alignsharp` program (the CLI assembly next to the tests) in a child process.</summary>
static class CliRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(params string[] args)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "AlignSharp.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"alignsharp {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    public static Result RunOk(params string[] args)
    {
        Result result = Run(args);
        Assert.True(result.ExitCode == 0, $"alignsharp {string.Join(' ', args)} exited {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result;
    }
}

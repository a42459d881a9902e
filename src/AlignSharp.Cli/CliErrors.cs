using Spectre.Console;

namespace AlignSharp.Cli;

/// <summary>
/// Runs a command body and turns the errors a user can cause (bad files, bad options) into one clear
/// line on stderr and exit code 1; anything else is a bug and keeps its stack trace.
/// </summary>
public static class CliErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
    }

    static bool IsUserError(Exception e) => e is IOException or InvalidDataException or FormatException
        or ArgumentException or UnauthorizedAccessException or NotSupportedException or UserInputException
        || e.GetType().Namespace?.StartsWith("AlignSharp", StringComparison.Ordinal) == true && e is not NullReferenceException;
}

/// <summary>A problem with what the user asked for (an option, a file's content), reported without a stack trace.</summary>
public sealed class UserInputException(string message) : Exception(message);

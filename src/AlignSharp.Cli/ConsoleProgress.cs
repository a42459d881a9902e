using Spectre.Console;

namespace AlignSharp.Cli;

/// <summary>
/// Progress of a long operation: a live bar on an interactive terminal; on a redirected one (CI, a
/// log file) a plain line at every tenth and at the end, since a live bar there prints only its first frame.
/// </summary>
public static class ConsoleProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports how many of <paramref name="total"/> units are done.</summary>
    public static T Run<T>(string description, int total, Func<Action<int>, T> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            T result = default!;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                    result = work(done => task.Value = done);
                    task.Value = task.MaxValue;
                });
            return result;
        }

        int lastTenth = -1;
        void Report(int done)
        {
            int tenth = total <= 0 ? 10 : (int)(10L * done / total);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            Console.Error.WriteLine($"{description}: {done}/{total} ({10 * tenth}%)");
        }
        T value = work(Report);
        if (lastTenth != 10) Report(total);
        return value;
    }
}

using System.Globalization;
using AlignSharp.Modeling;
using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Cli.Recipes;

/// <summary>
/// <c>--reward SPEC</c> / <c>reward_funcs</c>: comma-separated reward functions, each a built-in task's exact reward
/// (<c>arithmetic</c>, <c>sentiment</c>) or a reward-model folder (a <c>...ForSequenceClassification</c> folder), optionally
/// with a weight after a colon (<c>arithmetic:1,runs/rm:0.5</c>; TRL's <c>reward_weights</c> also sets them).
/// </summary>
public static class RewardSpecs
{
    public const string Help = "Comma-separated rewards: a built-in task (" + "arithmetic, sentiment" + ") or a reward-model folder, each optionally :WEIGHT";

    public sealed record Parsed(IReadOnlyList<IRewardFunction> Functions, IReadOnlyList<double>? Weights) : IDisposable
    {
        public void Dispose()
        {
            foreach (var disposable in Functions.OfType<IDisposable>()) disposable.Dispose();
        }
    }

    public static Parsed Parse(string spec, string? weightsText)
    {
        var functions = new List<IRewardFunction>();
        var weights = new List<double>();
        bool anyWeight = false;
        try
        {
            foreach (string part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                string name = part;
                double weight = 1;
                int colon = part.LastIndexOf(':');
                if (colon > 0 && double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double w))
                {
                    name = part[..colon];
                    weight = w;
                    anyWeight = true;
                }
                functions.Add(Create(name));
                weights.Add(weight);
            }
        }
        catch
        {
            foreach (var disposable in functions.OfType<IDisposable>()) disposable.Dispose();
            throw;
        }
        if (functions.Count == 0) throw new UserInputException($"--reward '{spec}' names no reward; {Help}");
        if (weightsText is not null)
        {
            if (anyWeight) throw new UserInputException("reward weights are given twice: in --reward (NAME:WEIGHT) and in reward_weights; keep one");
            weights = weightsText.Split(',', StringSplitOptions.TrimEntries).Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v : throw new UserInputException($"reward_weights '{weightsText}': '{t}' is not a number")).ToList();
        }
        return new Parsed(functions, weights);
    }

    static IRewardFunction Create(string name)
    {
        if (BuiltInTasks.Names.Contains(name)) return BuiltInTasks.ByName(name).TrueReward;
        if (Directory.Exists(name))
        {
            if (!File.Exists(Path.Combine(name, ModelConfig.FileName)))
                throw new UserInputException($"--reward {name}: the folder has no {ModelConfig.FileName}, so it is not a reward model");
            return new ModelReward(name);
        }
        throw new UserInputException($"--reward: '{name}' is neither a built-in task ({string.Join(", ", BuiltInTasks.Names)}) nor a reward-model folder");
    }
}

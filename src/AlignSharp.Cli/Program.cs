using System.CommandLine;
using AlignSharp.Cli.Commands;

namespace AlignSharp.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("alignsharp: post-training for causal language models in C# (SFT, reward models, DPO and more).")
        {
            InitCommand.Create(),
            InfoCommand.Create(),
            ScoreCommand.Create(),
            GenerateCommand.Create(),
            SftCommand.Create(),
            RewardModelCommand.Create(),
            DpoCommand.Create(),
            ModpoCommand.Create(),
            IftCommand.Create(),
            OrpoCommand.Create(),
            ALoLCommand.Create(),
            GrpoCommand.Create(),
            RlooCommand.Create(),
            EvalCommand.Create(),
            QuickstartCommand.Create(),
            ExperimentCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}

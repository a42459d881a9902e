using System.CommandLine;

namespace AlignSharp.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("alignsharp: post-training for causal language models in C# (SFT, reward models, DPO and more).");
        return root.Parse(args).Invoke();
    }
}

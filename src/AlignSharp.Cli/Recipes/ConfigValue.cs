namespace AlignSharp.Cli.Recipes;

/// <summary>One setting as written by the user, and where: a YAML file and line, or a command-line flag.</summary>
public sealed record ConfigValue(string Text, string Source, bool FromCommandLine = false);

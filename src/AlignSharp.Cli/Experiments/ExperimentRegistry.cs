using System.Reflection;

namespace AlignSharp.Cli.Experiments;

/// <summary>Every <see cref="IExperiment"/> in this assembly, by name.</summary>
public static class ExperimentRegistry
{
    public static IReadOnlyList<IExperiment> All() =>
        typeof(IExperiment).Assembly.GetTypes()
            .Where(t => typeof(IExperiment).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IExperiment)Activator.CreateInstance(t)!)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToArray();

    public static IExperiment ByName(string name)
    {
        var all = All();
        return all.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new UserInputException($"unknown experiment '{name}'; known: {(all.Count == 0 ? "none yet" : string.Join(", ", all.Select(e => e.Name)))}");
    }
}

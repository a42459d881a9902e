namespace AlignSharp.Tests;

/// <summary>Tests that measure the whole process's memory; xunit runs this collection alone, not beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement (runs alone)";
}

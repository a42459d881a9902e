namespace AlignSharp.Text.TokenizerJson;

/// <summary>tokenizer.json's "post_processor" for a single sequence: adds BOS/EOS-style ids around it.</summary>
internal interface IPostProcessor
{
    List<int> Process(List<int> ids);

    /// <summary>How many ids <see cref="Process"/> puts in front of the sequence (the rest it adds go after).</summary>
    int PrefixLength { get; }
}

/// <summary>Processors that only matter for offsets (ByteLevel) leave the ids alone.</summary>
internal sealed record IdentityPostProcessor : IPostProcessor
{
    public List<int> Process(List<int> ids) => ids;

    public int PrefixLength => 0;
}

/// <summary>TemplateProcessing's "single" template: fixed ids before and after the sequence "$A".</summary>
internal sealed record TemplatePostProcessor(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix) : IPostProcessor
{
    public List<int> Process(List<int> ids)
    {
        var output = new List<int>(Prefix.Count + ids.Count + Suffix.Count);
        output.AddRange(Prefix);
        output.AddRange(ids);
        output.AddRange(Suffix);
        return output;
    }

    public int PrefixLength => Prefix.Count;
}

internal sealed record SequencePostProcessor(IReadOnlyList<IPostProcessor> Steps) : IPostProcessor
{
    public List<int> Process(List<int> ids)
    {
        foreach (var step in Steps) ids = step.Process(ids);
        return ids;
    }

    public int PrefixLength => Steps.Sum(s => s.PrefixLength);
}

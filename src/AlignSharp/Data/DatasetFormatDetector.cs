namespace AlignSharp.Data;

/// <summary>Tells a dataset's TRL layout from its column names (extra columns such as an id are ignored).</summary>
public static class DatasetFormatDetector
{
    /// <summary>The layouts recognised, as shown in errors.</summary>
    public const string RecognisedLayouts =
        "prompt + completion (SFT); messages (SFT, multi-turn); prompt + chosen + rejected (preference); " +
        "chosen + rejected (preference with an implicit prompt: Anthropic HH transcripts or message lists); " +
        "prompt + completion + reward or score (scored); prompt alone (prompt-only, for online methods)";

    /// <summary>The layout of <paramref name="columns"/>, or an error naming the file and the layouts it knows.</summary>
    public static DatasetFormat Detect(IReadOnlyCollection<string> columns, string file, long line)
    {
        var has = columns.ToHashSet(StringComparer.Ordinal);
        if (has.Contains("prompt") && has.Contains("completion") && has.Contains("label") && !has.Contains("reward") && !has.Contains("score"))
            throw new DataFormatException(file, line,
                "columns prompt, completion and label are TRL's unpaired preference layout (KTO), which AlignSharp does not train on; " +
                $"reading it as prompt/completion would train on the undesirable completions too. Recognised layouts: {RecognisedLayouts}.");
        var candidates = new List<DatasetFormat>();
        if (has.Contains("chosen") && has.Contains("rejected"))
            candidates.Add(has.Contains("prompt") ? DatasetFormat.Preference : DatasetFormat.ImplicitPromptPreference);
        if (has.Contains("prompt") && has.Contains("completion"))
            candidates.Add(has.Contains("reward") || has.Contains("score") ? DatasetFormat.Scored : DatasetFormat.PromptCompletion);
        if (has.Contains("messages"))
            candidates.Add(DatasetFormat.Messages);
        if (candidates.Count == 0 && has.Contains("prompt"))
            candidates.Add(DatasetFormat.PromptOnly);

        string found = columns.Count == 0 ? "no columns" : "columns " + string.Join(", ", columns);
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new DataFormatException(file, line,
                $"cannot tell the dataset layout from its {found}. Recognised layouts: {RecognisedLayouts}."),
            _ => throw new DataFormatException(file, line,
                $"the {found} fit several layouts ({string.Join(", ", candidates)}); choose one explicitly " +
                $"(or drop the extra columns). Recognised layouts: {RecognisedLayouts}."),
        };
    }
}

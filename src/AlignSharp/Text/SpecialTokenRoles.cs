namespace AlignSharp.Text;

/// <summary>
/// Which vocabulary strings play the BOS/EOS/PAD/UNK roles. tokenizer.json does not say;
/// tokenizer_config.json or special_tokens_map.json does.
/// </summary>
public sealed record SpecialTokenRoles(string? Bos, string? Eos, string? Pad, string? Unk)
{
    public static SpecialTokenRoles None { get; } = new(null, null, null, null);
}

namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// How one built-in renderer recognises a real template: every marker must occur and no forbidden
/// marker may. Markers are Jinja snippets copied from the real templates, compared in
/// <see cref="JinjaFingerprint"/> form; they are the expressions that write the prompt text, so a
/// template that writes something else fails to match instead of being rendered wrongly.
/// </summary>
internal sealed class TemplateSignature
{
    private readonly string[] _markers;
    private readonly string[] _forbidden;

    public TemplateSignature(IChatTemplate template, string[] markers, string[] forbidden)
    {
        Template = template;
        _markers = markers.Select(JinjaFingerprint.Normalize).ToArray();
        _forbidden = forbidden.Select(JinjaFingerprint.Normalize).ToArray();
    }

    public IChatTemplate Template { get; }

    public bool Matches(string normalizedSource) =>
        _markers.All(marker => normalizedSource.Contains(marker, StringComparison.Ordinal))
        && !_forbidden.Any(marker => normalizedSource.Contains(marker, StringComparison.Ordinal));
}

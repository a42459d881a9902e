using System.Text;

namespace AlignSharp.Text.ChatTemplates;

/// <summary>Accumulates rendered text and records where each assistant turn's output lies.</summary>
internal sealed class ChatTextBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<CharSpan> _assistantSpans = [];

    public void Append(string text) => _text.Append(text);

    /// <summary>Appends what the model generates for an assistant turn: its body and end-of-turn marker.</summary>
    public void AppendAssistantOutput(string body, string endOfTurn)
    {
        int start = _text.Length;
        _text.Append(body).Append(endOfTurn);
        _assistantSpans.Add(new CharSpan(start, _text.Length - start));
    }

    public RenderedChat Build() => new(_text.ToString(), _assistantSpans.ToArray());
}

namespace AlignSharp.Data;

/// <summary>The TRL column layouts a dataset file can have.</summary>
public enum DatasetFormat
{
    /// <summary>SFT: <c>prompt</c>, <c>completion</c> (strings, or message lists for TRL's conversational prompt-completion).</summary>
    PromptCompletion,

    /// <summary>SFT: <c>messages</c>, a multi-turn conversation; the loss is on the assistant turns only.</summary>
    Messages,

    /// <summary>Preference: <c>prompt</c>, <c>chosen</c>, <c>rejected</c> (strings or message lists).</summary>
    Preference,

    /// <summary>
    /// Preference without a prompt column: <c>chosen</c>, <c>rejected</c> as whole transcripts sharing the prompt,
    /// either Anthropic HH strings (split at the last <c>"\n\nAssistant:"</c>) or message lists (split where they diverge).
    /// </summary>
    ImplicitPromptPreference,

    /// <summary>Scored completions: <c>prompt</c>, <c>completion</c> and <c>reward</c> (or <c>score</c>).</summary>
    Scored,

    /// <summary>
    /// TRL's prompt-only layout: <c>prompt</c> (a string or a message list) and no completion, for methods that sample the
    /// completions themselves (GRPO, RLOO, PPO). Other columns (e.g. an answer) are kept for the rewards to read.
    /// </summary>
    PromptOnly,
}

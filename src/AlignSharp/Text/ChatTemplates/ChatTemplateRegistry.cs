namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// The built-in chat template renderers, found by name or recognised from a model's Jinja
/// chat_template. There is no Jinja engine: a template no renderer is known to reproduce is an
/// error naming the built-in templates, never a guess.
/// </summary>
public static class ChatTemplateRegistry
{
    private static readonly IChatTemplate[] BuiltIn =
    [
        ChatMlTemplate.Plain,
        ChatMlTemplate.Qwen15,
        ChatMlTemplate.Qwen2,
        ChatMlTemplate.Qwen25,
        Qwen3Template.Instance,
        Llama3Template.Instance,
        Llama31Template.Llama31,
        Llama31Template.Llama32,
        Llama2Template.Instance,
        MistralTemplate.V1,
        MistralTemplate.V3,
        MistralTemplate.V3Tekken,
        ZephyrTemplate.Instance,
    ];

    /// <summary>Other names users know these templates by.</summary>
    private static readonly (string Alias, IChatTemplate Template)[] Aliases =
    [
        ("mistral", MistralTemplate.V1),
        ("mistral-nemo", MistralTemplate.V3Tekken),
    ];

    private const string ChatMlTurn = "'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'";
    private const string Llama3Turn = "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>'";
    private const string LlamaDateBlock = "\"Today Date: \" + date_string + \"\\n\\n\"";

    private static readonly TemplateSignature[] Signatures =
    [
        new(ChatMlTemplate.Plain,
            [ChatMlTurn, "'<|im_start|>assistant\n'"],
            ["<|im_start|>system", "bos_token", "<think>", "tools", "trim", "strip"]),
        new(ChatMlTemplate.Qwen15,
            [ChatMlTurn, "'<|im_start|>system\nYou are a helpful assistant<|im_end|>\n'", "loop.first and messages[0]['role'] != 'system'", "'<|im_start|>assistant\n'"],
            ["bos_token", "<think>"]),
        new(ChatMlTemplate.Qwen2,
            [ChatMlTurn, "'<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n'", "loop.first and messages[0]['role'] != 'system'", "'<|im_start|>assistant\n'"],
            ["bos_token", "<think>"]),
        new(ChatMlTemplate.Qwen25,
            [ChatMlTurn, "'<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n'",
             "'<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n'", "'<|im_start|>assistant\n'"],
            ["bos_token", "<think>"]),
        new(Qwen3Template.Instance,
            [ChatMlTurn, "'<|im_start|>system\n' + messages[0].content + '<|im_end|>\n'",
             "'<|im_start|>' + message.role + '\n<think>\n' + reasoning_content.strip('\n') + '\n</think>\n\n' + content.lstrip('\n')",
             "'<|im_start|>' + message.role + '\n' + content", "loop.index0 > ns.last_query_index",
             "'<|im_start|>assistant\n'", "enable_thinking is defined and enable_thinking is false", "'<think>\n\n</think>\n\n'"],
            ["bos_token"]),
        new(Llama3Template.Instance,
            [Llama3Turn, "bos_token + content", "'<|start_header_id|>assistant<|end_header_id|>\n\n'"],
            ["Cutting Knowledge", "date_string", "<|begin_of_text|>"]),
        new(Llama31Template.Llama31,
            [Llama3Turn, "{{- bos_token }}", "\"<|start_header_id|>system<|end_header_id|>\\n\\n\"", "\"Cutting Knowledge Date: December 2023\\n\"",
             LlamaDateBlock, "set date_string = \"26 Jul 2024\"", "set system_message = messages[0]['content']|trim",
             "'<|start_header_id|>assistant<|end_header_id|>\n\n'"],
            ["strftime_now", "<|image|>"]),
        new(Llama31Template.Llama32,
            [Llama3Turn, "{{- bos_token }}", "\"<|start_header_id|>system<|end_header_id|>\\n\\n\"", "\"Cutting Knowledge Date: December 2023\\n\"",
             LlamaDateBlock, "set date_string = strftime_now(\"%d %b %Y\")", "set date_string = \"26 Jul 2024\"",
             "set system_message = messages[0]['content']|trim", "'<|start_header_id|>assistant<|end_header_id|>\n\n'"],
            ["<|image|>"]),
        new(Llama2Template.Instance,
            ["bos_token + '[INST] ' + content.strip() + ' [/INST]'", "' '  + content.strip() + ' ' + eos_token",
             "'<<SYS>>\n' + system_message + '\n<</SYS>>\n\n' + message['content']", "loop.index0 == 0 and system_message != false",
             "(message['role'] == 'user') != (loop.index0 % 2 == 0)"],
            []),
        new(MistralTemplate.V1,
            ["{{- bos_token }}", "' [INST] ' + system_message + '\n\n' + message['content'] + ' [/INST]'", "' [INST] ' + message['content'] + ' [/INST]'",
             "' ' + message['content'] + eos_token", "loop.first and system_message is defined", "(message['role'] == 'user') != (loop.index0 % 2 == 0)"],
            ["[SYSTEM_PROMPT]"]),
        new(MistralTemplate.V3,
            ["{{- bos_token }}", "'[INST] ' + system_message + '\n\n' + message['content'] + '[/INST]'", "'[INST] ' + message['content'] + '[/INST]'",
             "' ' + message['content'] + eos_token", "loop.last and system_message is defined", "(message['role'] == 'user') != (loop.index0 % 2 == 0)"],
            ["[SYSTEM_PROMPT]"]),
        new(MistralTemplate.V3Tekken,
            ["{{- bos_token }}", "\"[INST]\" + system_message + \"\\n\\n\" + message[\"content\"] + \"[/INST]\"", "\"[INST]\" + message[\"content\"] + \"[/INST]\"",
             "message[\"content\"] + eos_token", "loop.last and system_message is defined", "(message[\"role\"] == \"user\") != (loop.index0 % 2 == 0)"],
            ["' ' + message['content'] + eos_token", "[SYSTEM_PROMPT]"]),
        new(ZephyrTemplate.Instance,
            ["'<|user|>\n' + message['content'] + eos_token", "'<|system|>\n' + message['content'] + eos_token",
             "'<|assistant|>\n'  + message['content'] + eos_token", "loop.last and add_generation_prompt", "{{ '<|assistant|>' }}"],
            ["bos_token"]),
    ];

    /// <summary>The names <see cref="ByName"/> accepts (aliases included).</summary>
    public static IReadOnlyList<string> KnownNames { get; } =
        BuiltIn.Select(t => t.Name).Concat(Aliases.Select(a => a.Alias)).Distinct().ToArray();

    /// <summary>
    /// The renderer called <paramref name="name"/>, e.g. "chatml", "qwen2.5", "qwen3", "llama3.1",
    /// "mistral-v3". Case, '.', '-', '_' and spaces are ignored ("Qwen2_5" = "qwen2.5").
    /// </summary>
    /// <exception cref="ChatTemplateNotRecognizedException">No built-in template has that name.</exception>
    public static IChatTemplate ByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = NameKey(name);
        IChatTemplate? found = BuiltIn.FirstOrDefault(t => NameKey(t.Name) == key)
            ?? Aliases.Where(a => NameKey(a.Alias) == key).Select(a => a.Template).FirstOrDefault();
        return found ?? throw new ChatTemplateNotRecognizedException(
            $"Unknown chat template name '{name}'. Known names: {string.Join(", ", KnownNames)}.");
    }

    /// <summary>
    /// The renderer reproducing <paramref name="chatTemplateJinja"/> (the chat_template of a
    /// tokenizer_config.json), recognised by the expressions that write the prompt, whatever the layout.
    /// </summary>
    /// <exception cref="ChatTemplateNotRecognizedException">No template given, or no built-in renderer reproduces it.</exception>
    public static IChatTemplate Recognize(string? chatTemplateJinja)
    {
        if (string.IsNullOrWhiteSpace(chatTemplateJinja))
            throw new ChatTemplateNotRecognizedException(
                "The tokenizer has no chat_template (tokenizer_config.json) and no template was named. " +
                $"Pass --chat-template NAME with one of: {string.Join(", ", KnownNames)}.");

        string normalized = JinjaFingerprint.Normalize(chatTemplateJinja);
        IChatTemplate[] matches = Signatures.Where(s => s.Matches(normalized)).Select(s => s.Template).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new ChatTemplateNotRecognizedException(
                "The model's chat_template is not one AlignSharp can reproduce (there is no Jinja engine; " +
                "only these built-in templates are rendered exactly). If the model uses one of them, pass " +
                $"--chat-template NAME with one of: {string.Join(", ", KnownNames)}. " +
                $"Template starts with: {Excerpt(chatTemplateJinja)}"),
            _ => throw new ChatTemplateNotRecognizedException(
                $"The model's chat_template looks like several built-in templates ({string.Join(", ", matches.Select(m => m.Name))}); " +
                $"pass --chat-template NAME to choose. Known names: {string.Join(", ", KnownNames)}."),
        };
    }

    /// <summary>
    /// <paramref name="overrideName"/> when given (the user's --chat-template), otherwise the
    /// template recognised from <paramref name="chatTemplateJinja"/>.
    /// </summary>
    public static IChatTemplate Resolve(string? chatTemplateJinja, string? overrideName) =>
        string.IsNullOrWhiteSpace(overrideName) ? Recognize(chatTemplateJinja) : ByName(overrideName);

    private static string NameKey(string name) =>
        new(name.Where(c => c is not ('.' or '-' or '_' or ' ')).Select(char.ToLowerInvariant).ToArray());

    private static string Excerpt(string source)
    {
        string flat = string.Join(' ', source.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 120 ? flat : flat[..120] + "…";
    }
}

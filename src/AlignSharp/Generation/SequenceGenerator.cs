using AlignSharp.Modeling;
using AlignSharp.Scoring;
using AlignSharp.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Generation;

/// <summary>
/// Batched sampling from a causal LM with a KV cache. Prompts of different lengths are left-padded
/// internally (attention mask, position ids = cumsum(mask) − 1 as Hugging Face); the prompts are
/// prefilled in one pass, then one token per step. Rows stop on their own (stop ids, stop strings,
/// length) and finished rows leave the batch and the cache. Each step runs in its own dispose scope;
/// only the cache outlives it. Runs without gradients; put the model in eval mode first.
/// </summary>
public sealed class SequenceGenerator
{
    readonly ICausalLM _model;
    readonly ITokenizer? _tokenizer;
    readonly Device _device;

    public SequenceGenerator(ICausalLM model, ITokenizer? tokenizer = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _tokenizer = tokenizer;
        _device = ModelDevice.Of(model);
    }

    /// <summary>
    /// Generates a continuation of each prompt (token ids, each prompt non-empty); results are in
    /// input order. See <see cref="GeneratedSequence"/> for what the log-probs are.
    /// </summary>
    public IReadOnlyList<GeneratedSequence> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        for (int i = 0; i < prompts.Count; i++)
        {
            if (prompts[i] is null || prompts[i].Count == 0)
                throw new ArgumentException($"prompt {i} is empty; generation needs at least one token (e.g. BOS)", nameof(prompts));
            foreach (int id in prompts[i])
                if (id < 0 || id >= _model.VocabSize)
                    throw new ArgumentException($"prompt {i} holds token id {id}, outside the model's vocabulary [0, {_model.VocabSize})", nameof(prompts));
        }
        var stopStrings = options.StopStrings ?? Array.Empty<string>();
        if (stopStrings.Count > 0 && _tokenizer is null)
            throw new ArgumentException("stop strings need a tokenizer to decode the generated text", nameof(options));
        var stopIds = new HashSet<int>(options.StopTokenIds ?? Array.Empty<int>());
        if (options.StopAtEos && _tokenizer?.EosTokenId is int eos) stopIds.Add(eos);

        int paddedPromptLength = prompts.Count == 0 ? 0 : prompts.Max(p => p.Count);
        var rows = prompts.Select((p, i) => new GenerationRow(i, p, paddedPromptLength)).ToArray();
        if (options.MaxNewTokens == 0 || rows.Length == 0)
        {
            foreach (var row in rows) { row.Finish = FinishReason.Length; row.Text = Decode(row.Generated); }
            return rows.Select(r => r.ToResult()).ToArray();
        }

        long seed = options.Seed ?? Random.Shared.NextInt64();
        using var sampling = new torch.Generator(unchecked((ulong)seed), _device);
        using var noGrad = no_grad();
        using var cache = options.UseKvCache ? new KvCache(_model.LayerCount) : null;
        var active = rows.ToList();
        for (int step = 0; active.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            var (tokens, logProbs, scaledLogProbs) = NextTokens(active, step, options, sampling, cache);
            var stillActive = new List<long>();
            for (int r = 0; r < active.Count; r++)
            {
                var row = active[r];
                row.Append(tokens[r], logProbs[r], scaledLogProbs[r]);
                if (!Finished(row, stopIds, stopStrings, options.MaxNewTokens)) stillActive.Add(r);
            }
            if (stillActive.Count < active.Count)
            {
                if (cache is not null && stillActive.Count > 0)
                    cache.SelectRows(tensor(stillActive.ToArray(), device: _device));
                active = stillActive.Select(r => active[(int)r]).ToList();
            }
        }
        return rows.Select(r => r.ToResult()).ToArray();
    }

    /// <summary>
    /// One forward pass: the next token of each active row, its unmodified log-probability and its log-probability
    /// with the logits divided by the temperature (no top-k/top-p), the distribution RL objectives recompute.
    /// </summary>
    (int[] Tokens, float[] LogProbs, float[] ScaledLogProbs) NextTokens(List<GenerationRow> active, int step, GenerationOptions options, torch.Generator sampling, KvCache? cache)
    {
        int batch = active.Count;
        int length = active[0].Sequence.Count;
        // With a cache, after the prefill only the newest token is fed.
        int fed = cache is not null && step > 0 ? 1 : length;
        var ids = new long[batch * fed];
        var positions = new long[batch * fed];
        var mask = new long[batch * length];
        for (int r = 0; r < batch; r++)
        {
            var row = active[r];
            for (int t = 0; t < fed; t++)
            {
                ids[r * fed + t] = row.Sequence[length - fed + t];
                positions[r * fed + t] = row.PositionAt(length - fed + t);
            }
            row.Mask.CopyTo(mask, r * length);
        }
        Tensor inputIds = tensor(ids, new long[] { batch, fed }, device: _device);
        Tensor positionIds = tensor(positions, new long[] { batch, fed }, device: _device);
        // No padded position in any row (e.g. batch 1): no mask, so attention takes its unmasked fast path.
        Tensor? attentionMask = Array.IndexOf(mask, 0L) >= 0 ? tensor(mask, new long[] { batch, length }, device: _device) : null;

        Tensor hidden = _model.Hidden(inputIds, attentionMask, positionIds, cache);
        Tensor logits = _model.Logits(hidden.select(1, -1)).to_type(ScalarType.Float32);
        Tensor next = options.IsGreedy ? logits.argmax(-1) : Sample(logits, options, sampling);
        Tensor logProbs = logits.log_softmax(-1).gather(1, next.unsqueeze(1)).squeeze(1);
        Tensor scaledLogProbs = options.IsGreedy || options.Temperature == 1.0
            ? logProbs
            : (logits / options.Temperature).log_softmax(-1).gather(1, next.unsqueeze(1)).squeeze(1);

        long[] nextIds = next.cpu().data<long>().ToArray();
        float[] nextLogProbs = logProbs.cpu().data<float>().ToArray();
        float[] nextScaled = ReferenceEquals(scaledLogProbs, logProbs) ? nextLogProbs : scaledLogProbs.cpu().data<float>().ToArray();
        return (nextIds.Select(id => (int)id).ToArray(), nextLogProbs, nextScaled);
    }

    static Tensor Sample(Tensor logits, GenerationOptions options, torch.Generator sampling)
    {
        Tensor scaled = options.Temperature == 1.0 ? logits : logits / options.Temperature;
        Tensor filtered = SamplingFilters.TopP(SamplingFilters.TopK(scaled, options.TopK), options.TopP);
        return filtered.softmax(-1).multinomial(1, generator: sampling).squeeze(1);
    }

    /// <summary>Marks the row finished when its newest token ends it; true when it did.</summary>
    bool Finished(GenerationRow row, HashSet<int> stopIds, IReadOnlyList<string> stopStrings, int maxNewTokens)
    {
        int newest = row.Generated[^1];
        if (stopIds.Contains(newest))
        {
            row.Finish = FinishReason.StopToken;
            row.Text = Decode(row.Generated.Take(row.Generated.Count - 1));
            return true;
        }
        if (stopStrings.Count > 0)
        {
            // The whole text is decoded again: a token can complete a character or a stop string begun earlier.
            string text = Decode(row.Generated)!;
            int at = StopStrings.EarliestMatch(text, stopStrings);
            if (at >= 0)
            {
                row.Finish = FinishReason.StopString;
                row.Text = text[..at];
                return true;
            }
        }
        if (row.Generated.Count >= maxNewTokens)
        {
            row.Finish = FinishReason.Length;
            row.Text = Decode(row.Generated);
            return true;
        }
        return false;
    }

    string? Decode(IEnumerable<int> ids) => _tokenizer?.Decode(ids, skipSpecialTokens: true);
}

using AlignSharp.Data;
using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Rewards;

/// <summary>
/// A trained reward model as a reward function: the scalar score of (prompt, completion) read at the
/// sequence's last token. Sequences are tokenised exactly as the reward-model recipe trained on them
/// (<see cref="DatasetTokenizer.TokenizeText"/>: prompt with the tokenizer's special tokens, completion + EOS),
/// so the score means what it meant in training. Scores in batches, without gradients. Inputs are plain text;
/// a reward model trained on message lists needs its prompts rendered with the chat template first.
/// </summary>
public sealed class ModelReward : IRewardFunction, IDisposable
{
    readonly ModelFolder _folder;
    readonly SequenceScoreModel _model;
    readonly DatasetTokenizer _tokenizer;
    readonly int _paddingId;

    /// <param name="folder">A <c>...ForSequenceClassification</c> folder (num_labels 1) with its tokenizer.</param>
    /// <param name="batchSize">Sequences per forward pass.</param>
    /// <param name="name">The name in logs and metrics; defaults to the folder's name.</param>
    public ModelReward(string folder, int batchSize = 16, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _folder = ModelFolder.Load(folder);
        _model = _folder.Model as SequenceScoreModel ?? throw Fail(new InvalidDataException(
            $"{Path.Combine(folder, ModelConfig.FileName)}: {_folder.Model.Config.Architecture} is not a reward model (a ...ForSequenceClassification folder with num_labels 1)"));
        _model.eval();
        _tokenizer = new DatasetTokenizer(_folder.Tokenizer.Tokenizer);
        _paddingId = BatchCollator.PaddingId(_folder.Tokenizer.Tokenizer);
        BatchSize = batchSize;
        Name = name ?? "reward_model_" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
    }

    public string Name { get; }

    public int BatchSize { get; }

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var scores = new double[batch.Count];
        using var noGrad = no_grad();
        for (int start = 0; start < batch.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var sequences = batch.Skip(start).Take(BatchSize).Select(input => _tokenizer.TokenizeText(input.Prompt, input.Completion)).ToArray();
            using SequenceBatch collated = BatchCollator.Collate(sequences, _paddingId);
            float[] values = _model.Scores(collated.InputIds, collated.AttentionMask).to_type(ScalarType.Float32).data<float>().ToArray();
            for (int i = 0; i < values.Length; i++) scores[start + i] = values[i];
        }
        return scores;
    }

    public void Dispose() => _folder.Dispose();

    Exception Fail(Exception error)
    {
        _folder.Dispose();
        return error;
    }
}

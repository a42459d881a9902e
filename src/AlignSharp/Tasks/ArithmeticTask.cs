using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>
/// Arithmetic word problems with a checkable answer. Prompt: "Tom has 3 apples and buys 4 more. How many apples
/// does Tom have?"; completion: " 7" (<see cref="ArithmeticAnswer.Format"/>). True reward: 1 if correct, else 0.
/// Low-quality demonstrations and rejected completions are wrong answers off by 1 to
/// <see cref="ArithmeticOptions.MaxWrongAnswerOffset"/>, in the same format.
/// </summary>
public sealed class ArithmeticTask : IBuiltInTask
{
    /// <summary>Rejection sampling for a split gives up after this many draws (only a tiny prompt space could get here).</summary>
    const int MaxDrawsPerPrompt = 10_000;

    public ArithmeticTask(ArithmeticOptions? options = null)
    {
        Options = options ?? new ArithmeticOptions();
        Options.Validate();
    }

    public ArithmeticOptions Options { get; }

    public string Name => "arithmetic";

    public string Description =>
        $"arithmetic word problems ({string.Join(", ", Options.Operations).ToLowerInvariant()}; operands {Options.MinOperand}–{Options.MaxOperand}); " +
        "reward 1 if the first number in the completion is the answer, else 0";

    public IRewardFunction TrueReward { get; } = new ArithmeticAnswerReward();

    /// <summary>A success is a correct answer (reward 1).</summary>
    public bool IsSuccess(double reward) => reward >= 1;

    public IReadOnlyList<SftExample> SftDemonstrations(int count, double lowQualityShare, int seed)
    {
        DemonstrationMix.ValidateCount(count);
        DemonstrationMix.ValidateShare(lowQualityShare);
        SeededRandom prompts = SeededRandom.ForStream(seed, "arithmetic/sft/prompts");
        bool[] lowQuality = DemonstrationMix.LowQualityMask(count, lowQualityShare, SeededRandom.ForStream(seed, "arithmetic/sft/quality"));
        SeededRandom wrong = SeededRandom.ForStream(seed, "arithmetic/sft/wrong");
        var rows = new SftExample[count];
        for (int i = 0; i < count; i++)
        {
            ArithmeticProblem problem = SampleProblem(prompts, Split.Train);
            long answer = lowQuality[i] ? WrongAnswer(problem.Answer, wrong) : problem.Answer;
            rows[i] = new SftExample(problem.Render(), ArithmeticAnswer.Format(answer));
        }
        return rows;
    }

    public IReadOnlyList<PreferencePair> PreferencePairs(int count, int seed)
    {
        DemonstrationMix.ValidateCount(count);
        SeededRandom random = SeededRandom.ForStream(seed, "arithmetic/pairs");
        var pairs = new PreferencePair[count];
        for (int i = 0; i < count; i++)
        {
            ArithmeticProblem problem = SampleProblem(random, Split.Train);
            pairs[i] = new PreferencePair(problem.Render(), ArithmeticAnswer.Format(problem.Answer), ArithmeticAnswer.Format(WrongAnswer(problem.Answer, random)));
        }
        return PreferenceInvariant.EnsureChosenIsBetter(TrueReward, pairs);
    }

    public IReadOnlyList<string> Prompts(int count, Split split, int seed)
    {
        DemonstrationMix.ValidateCount(count);
        DemonstrationMix.ValidateSplit(split);
        SeededRandom random = SeededRandom.ForStream(seed, split == Split.Train ? "arithmetic/prompts/train" : "arithmetic/prompts/held-out");
        var prompts = new string[count];
        for (int i = 0; i < count; i++) prompts[i] = SampleProblem(random, split).Render();
        return prompts;
    }

    public TaskEvaluation Evaluate(IReadOnlyList<RewardInput> samples) => TaskEvaluation.Compute(this, samples);

    /// <summary>A uniformly drawn problem whose prompt belongs to <paramref name="split"/>.</summary>
    ArithmeticProblem SampleProblem(SeededRandom random, Split split)
    {
        for (int attempt = 0; attempt < MaxDrawsPerPrompt; attempt++)
        {
            ArithmeticProblem problem = SampleProblem(random);
            if (PromptSplit.Of(problem.Render(), Options.HeldOutShare) == split) return problem;
        }
        throw new InvalidOperationException($"no {split} prompt found in {MaxDrawsPerPrompt} draws; widen the operand range or change HeldOutShare ({Options.HeldOutShare})");
    }

    ArithmeticProblem SampleProblem(SeededRandom random)
    {
        ArithmeticOperation operation = random.Pick(Options.Operations);
        string person = random.Pick(ArithmeticVocabulary.People);
        string item = random.Pick(ArithmeticVocabulary.Items);
        string action = operation switch
        {
            ArithmeticOperation.Add => random.Pick(ArithmeticVocabulary.AddVerbs),
            ArithmeticOperation.Subtract => random.Pick(ArithmeticVocabulary.SubtractVerbs),
            _ => random.Pick(ArithmeticVocabulary.Containers),
        };
        int a = random.NextInt(Options.MinOperand, Options.MaxOperand);
        int b = random.NextInt(Options.MinOperand, Options.MaxOperand);
        if (operation == ArithmeticOperation.Subtract && a < b) (a, b) = (b, a); // answers stay ≥ 0
        return new ArithmeticProblem(person, item, action, operation, a, b);
    }

    /// <summary>The answer moved by 1..MaxWrongAnswerOffset up or down; downward moves that would go below 0 go up instead.</summary>
    long WrongAnswer(long answer, SeededRandom random)
    {
        int offset = random.NextInt(1, Options.MaxWrongAnswerOffset);
        return random.NextBool() && answer - offset >= 0 ? answer - offset : answer + offset;
    }
}

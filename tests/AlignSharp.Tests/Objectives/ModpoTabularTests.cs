using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

/// <summary>
/// The tabular check of algorithms.md §2 (d): a softmax policy over K responses for each of P prompts, trained with
/// <see cref="ModpoLoss"/> on preferences for objective r_k drawn from a Bradley–Terry model, with r_m as a frozen
/// margin. The theory says β·log π/π_ref → w_k r_k + w_m r_m + c(x), i.e. π* ∝ π_ref·exp(w·r/β), the
/// multi-objective RLHF optimum. Preferences come in their exact BT proportions (counts per 1000 comparisons),
/// so the empirical optimum differs from the true one only by that rounding.
/// </summary>
public class ModpoTabularTests
{
    const int Prompts = 2, Responses = 4, ComparisonsPerPair = 1000;

    static readonly double[,] PreferenceReward = { { 1.0, 0.2, -0.5, -1.0 }, { -0.3, 0.8, 0.0, 0.5 } };
    static readonly double[,] MarginReward = { { -1.0, 0.5, 1.0, 0.0 }, { 0.6, -0.8, 0.3, -0.2 } };
    static readonly double[,] ReferenceLogits = { { 0.3, -0.2, 0.5, 0.0 }, { -0.4, 0.1, 0.2, 0.6 } };

    [Theory]
    [InlineData(0.5, 0.5, 0.5)]
    [InlineData(0.8, 0.2, 0.25)]
    [InlineData(0.3, 0.7, 1.0)]
    public void ImplicitRewardConvergesToTheWeightedRewardUpToAConstant(double wk, double wm, double beta)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var (prompt, chosen, rejected) = ExactPreferences();
        var referenceLogProbs = torch.tensor(Flat(ReferenceLogits)).reshape(Prompts, Responses).log_softmax(1);
        var marginTable = torch.tensor(Flat(MarginReward)).reshape(Prompts, Responses);
        var logits = new TorchSharp.Modules.Parameter(torch.zeros(Prompts, Responses, dtype: ScalarType.Float64));
        var loss = new ModpoLoss(new ModpoOptions { Beta = beta, Weights = [wk, wm] });
        using var optimizer = torch.optim.Adam([logits], lr: 0.1);

        var referenceChosen = referenceLogProbs[prompt, chosen];
        var referenceRejected = referenceLogProbs[prompt, rejected];
        var marginChosen = marginTable[prompt, chosen].unsqueeze(1);
        var marginRejected = marginTable[prompt, rejected].unsqueeze(1);
        for (int step = 0; step < 400; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var policy = logits.log_softmax(1);
            using var output = loss.Compute(policy[prompt, chosen], policy[prompt, rejected], referenceChosen, referenceRejected, marginChosen, marginRejected);
            output.Loss.backward();
            optimizer.step();
        }

        using var noGrad = torch.no_grad();
        var implicitReward = (logits.log_softmax(1) - referenceLogProbs).mul(beta);
        var weighted = torch.tensor(Flat(PreferenceReward)).reshape(Prompts, Responses).mul(wk) + marginTable.mul(wm);
        // Constant per prompt: centre both and compare.
        var gap = (implicitReward - implicitReward.mean([1], keepdim: true)) - (weighted - weighted.mean([1], keepdim: true));
        double worst = gap.abs().max().ToDouble();
        Assert.True(worst < 0.02, $"w = ({wk}, {wm}), β = {beta}: β·log π/π_ref − weighted reward varies by up to {worst:F4} within a prompt");

        // Not vacuous: without the margin term the implicit reward would track the rescaled preference reward
        // r_k alone, which is far from where MODPO ended.
        var preferenceOnly = torch.tensor(Flat(PreferenceReward)).reshape(Prompts, Responses);
        var offTarget = (implicitReward - implicitReward.mean([1], keepdim: true)) - (preferenceOnly - preferenceOnly.mean([1], keepdim: true));
        Assert.True(offTarget.abs().max().ToDouble() > 0.1);

        // And the same thing stated as the closed-form MORLHF optimum π* ∝ π_ref·exp(w·r/β).
        var optimum = (referenceLogProbs + weighted.div(beta)).log_softmax(1);
        double worstLogProb = (logits.log_softmax(1) - optimum).abs().max().ToDouble();
        Assert.True(worstLogProb < 0.02 / beta * 2, $"log π differs from the closed-form optimum by {worstLogProb:F4}");
    }

    /// <summary>Every ordered pair (i over j) of every prompt, round(1000·σ(r_k,i − r_k,j)) times.</summary>
    static (Tensor Prompt, Tensor Chosen, Tensor Rejected) ExactPreferences()
    {
        var prompt = new List<long>();
        var chosen = new List<long>();
        var rejected = new List<long>();
        for (int p = 0; p < Prompts; p++)
            for (int i = 0; i < Responses; i++)
                for (int j = 0; j < Responses; j++)
                {
                    if (i == j) continue;
                    double preferI = 1 / (1 + Math.Exp(-(PreferenceReward[p, i] - PreferenceReward[p, j])));
                    // Each unordered pair is visited twice (i,j) and (j,i): half the comparisons each time.
                    int count = (int)Math.Round(preferI * ComparisonsPerPair / 2);
                    for (int c = 0; c < count; c++)
                    {
                        prompt.Add(p);
                        chosen.Add(i);
                        rejected.Add(j);
                    }
                }
        return (torch.tensor(prompt.ToArray()), torch.tensor(chosen.ToArray()), torch.tensor(rejected.ToArray()));
    }

    static double[] Flat(double[,] table) => table.Cast<double>().ToArray();
}

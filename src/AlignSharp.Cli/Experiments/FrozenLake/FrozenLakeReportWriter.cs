using System.Globalization;
using AlignSharp.Tasks.FrozenLake;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>Writes the study's report: configuration, seeds, MSE table with spread, and the verdict against the paper's ordering.</summary>
public static class FrozenLakeReportWriter
{
    public static MarkdownReport Write(
        FrozenLakeStudy study,
        FrozenLakeStudyConfig config,
        IReadOnlyList<int> seeds,
        IReadOnlyList<FrozenLakeRun> runs,
        IReadOnlyList<FrozenLakeMethodSummary> summary,
        bool quick,
        double seconds,
        string barsFile,
        string curvesFile)
    {
        var report = new MarkdownReport("ift-frozenlake: the IFT paper's Frozen Lake study");
        report.Paragraph(
            "Reproduces §5.3 / App. B.2 of Hua et al. (IFT; algorithms.md §1(d)): a policy network is trained by SFT and IFT on the " +
            "optimal trajectory and by DPO and ORPO on (optimal, sub-optimal) pairs, and each trained policy's state→action " +
            "probability table is compared with the optimal one from value iteration by mean squared error. " +
            (quick ? "**This is the `--quick` run (few steps and seeds, for the tests); its numbers are not the study's.**" :
                "Produced by `alignsharp experiment ift-frozenlake`."));

        report.Heading("Setup");
        report.Paragraph("Map (deterministic, not slippery; Gymnasium's rules: moving off the edge stays put, a hole ends the episode with reward 0, the goal with reward 1):");
        report.Paragraph("```\n" + string.Join("\n", study.Map.Layout) + "\n```");
        report.Paragraph(
            "The paper's map was not published, so this one is ours: a loop of ice around a block of holes with the goal on the loop, " +
            $"which gives exactly two hole-free simple paths from S to G: the optimal one ({study.Optimal.Length} moves, down the left side) " +
            $"and the sub-optimal one ({study.SubOptimal.Length} moves, along the top and down the right side). Together they visit all " +
            $"{study.AllStates.Count} non-terminal cells. Cells are numbered row by row from 0.");
        report.Table(["trajectory", "(state:action) steps"],
        [
            ["optimal (SFT, IFT; DPO/ORPO chosen)", study.Optimal.ToString()],
            ["sub-optimal (DPO/ORPO rejected)", study.SubOptimal.ToString()],
        ]);
        var agreeing = study.SubOptimal.Steps.Where(st => study.TeacherTable[st.State, (int)st.Action] >= 1.0).ToArray();
        var ties = study.AllStates.Where(s => study.Teacher.BestActions(s).Count > 1).ToArray();
        report.Paragraph(
            $"**Teacher.** Value iteration with discount γ = {N(config.ValueIterationGamma, "0.##")} (converged in {study.Teacher.Iterations} sweeps; " +
            "Bellman residual below 1e-9, tested). The optimal state→action table is the greedy policy, one-hot on argmax Q*, as a " +
            "value-iteration policy is; where actions tie exactly it is split evenly between them. " +
            (ties.Length == 0 ? "No state has a tie." :
                $"Ties: {string.Join(", ", ties.Select(s => $"cell {s} ({string.Join("/", study.Teacher.BestActions(s))})"))} — on a grid loop one cell is always equally far from the goal both ways round.") +
            $" Note that at {agreeing.Length} of the sub-optimal trajectory's {study.SubOptimal.Length} steps (cells {string.Join(", ", agreeing.Select(s => s.State))}) its action " +
            "*is* the teacher's (past the tie those cells are closer to the goal going forward): a preference method that pushes the rejected trajectory down pushes these optimal actions down too.");
        report.Paragraph(
            $"**Policy.** The paper's \"2-layer fully-connected network\": one-hot cell ({study.Map.StateCount} inputs) → Linear({config.HiddenSize}) → tanh → Linear(4) → softmax; " +
            "PyTorch's default uniform initialisation from a per-seed generator. Every method starts from the same initial network for a given seed.");
        report.Paragraph(
            "**Methods.** One full batch per step (the single trajectory or the single pair), Adam, the same steps and learning rate for all.\n\n" +
            "- SFT: mean NLL of the optimal trajectory's actions (`SftLoss`, token mean).\n" +
            $"- IFT (λ = {N(config.IftLambda, "0.##")}, γ = {N(config.IftGamma, "0.##")}, the paper's values): the trajectory is the token sequence with states as tokens. " +
            "`IftLoss` and `IftInputs` from the library. Pass 1 (no gradient) takes the current policy's greedy action at each gold state s*_(t−1) and the cell ŝ_t it leads to (one step ahead from the gold prefix, not a rollout, as the official code). " +
            "Pass 2 feeds (1−λ)·onehot(s*_t) + λ·onehot(ŝ_t) (step 0 keeps the gold start) and scores the gold actions; the per-step NLLs are weighted by " +
            "the official code's discounted future sums, renormalised to mean 1, with gradient through the weights (the released code does not detach them). " +
            "The first layer (the one-hot \"embedding\") trains, unlike the code's frozen input embeddings: freezing it for IFT only would confound the comparison.\n" +
            $"- DPO (β = {N(config.DpoBeta, "0.##")}): `DpoLoss` on summed step log-probs; the reference is the **initial** policy (the paper does not say which; an SFT reference would make DPO an SFT+DPO recipe). Its log-probs are computed once before training.\n" +
            $"- ORPO (β = {N(config.OrpoBeta, "0.##")}, the paper's baseline setting): `OrpoLoss`, NLL of the optimal trajectory + β·(−log σ(log-odds ratio)) with per-step mean log-probs (TRL's convention); no reference.\n" +
            $"- SFT→DPO (not in the paper's figure; a check of the reference choice): {config.Steps} SFT steps, then {config.Steps} DPO steps from the SFT policy with the SFT policy as reference (a fresh Adam for each phase).");
        report.Paragraph(
            "**Metric.** MSE between the trained table π(a|s) and the teacher's over **all non-terminal cells × 4 actions** (the headline); " +
            "also reported over the cells of the optimal trajectory only (what SFT and IFT are trained on).");

        report.Heading("Configuration");
        report.Table(["setting", "value"],
        [
            ["seeds", string.Join(", ", seeds)],
            ["optimiser", $"Adam, learning rate {N(config.LearningRate, "0.####")}, {config.Steps} full-batch steps"],
            ["hidden width", config.HiddenSize.ToString(CultureInfo.InvariantCulture)],
            ["IFT λ / γ", $"{N(config.IftLambda, "0.##")} / {N(config.IftGamma, "0.##")}"],
            ["DPO β / reference", $"{N(config.DpoBeta, "0.##")} / initial policy"],
            ["ORPO β", N(config.OrpoBeta, "0.##")],
            ["value iteration γ", N(config.ValueIterationGamma, "0.##")],
            ["wall time", $"{N(seconds, "0.0")} s (1 libtorch thread)"],
        ]);

        report.Heading("Results");
        report.Table(["method", "MSE, all states (mean ± sd)", "MSE, optimal-path states (mean ± sd)", "min – max (all states)", "lowest mean MSE during training (step)"],
            summary.Select(s => (IReadOnlyList<string>)
            [
                s.Label,
                MarkdownReport.MeanSd(s.FinalMse.ToArray(), "0.0000"),
                MarkdownReport.MeanSd(s.FinalMseOptimalPath.ToArray(), "0.0000"),
                $"{N(s.FinalMse.Min(), "0.0000")} – {N(s.FinalMse.Max(), "0.0000")}",
                LowestAlongCurve(runs.Where(r => r.Method == s.Method).ToArray()) is var (step, mse) ? $"{N(mse, "0.0000")} ({step})" : "",
            ]));
        report.Paragraph($"Step 0 is the untrained network (mean MSE {N(runs.Average(r => r.Curve[0].Mse), "0.0000")} over the seeds); the last column shows whether stopping earlier would change the order.");
        report.Paragraph($"sd is the sample standard deviation over the {seeds.Count} seeds. Per seed (all states):");
        report.Table(["seed", .. summary.Select(s => s.Label)],
            seeds.Select((seed, i) => (IReadOnlyList<string>)[seed.ToString(CultureInfo.InvariantCulture), .. summary.Select(s => N(s.FinalMse[i], "0.0000"))]));
        report.Image(barsFile, "final MSE per method, mean ± sd over seeds");
        report.Image(curvesFile, "MSE against optimizer step, mean over seeds");

        report.Heading("Against the paper");
        report.Paragraph(Verdict(summary));
        return report;
    }

    /// <summary>The paper's ordering (DPO best, IFT close, ORPO and SFT clearly worse), checked claim by claim on the means and their spread.</summary>
    static string Verdict(IReadOnlyList<FrozenLakeMethodSummary> summary)
    {
        var by = summary.ToDictionary(s => s.Method);
        var ranked = summary.Where(s => s.Method != FrozenLakeMethod.SftThenDpo).OrderBy(s => s.Mean).ToArray();
        string order = string.Join(" < ", ranked.Select(s => $"{s.Label} {N(s.Mean, "0.0000")}"));
        var dpo = by[FrozenLakeMethod.Dpo];
        var ift = by[FrozenLakeMethod.Ift];
        var sft = by[FrozenLakeMethod.Sft];
        var orpo = by[FrozenLakeMethod.Orpo];
        bool dpoBest = ranked[0].Method == FrozenLakeMethod.Dpo;
        // "Close": the two means lie within the sum of their standard deviations.
        bool iftClose = Math.Abs(ift.Mean - dpo.Mean) <= ift.Sd + dpo.Sd;
        bool worseSeparated(FrozenLakeMethodSummary worse, FrozenLakeMethodSummary better) => worse.Mean - worse.Sd > better.Mean + better.Sd;
        bool sftWorse = worseSeparated(sft, dpo) && worseSeparated(sft, ift);
        bool orpoWorse = worseSeparated(orpo, dpo) && worseSeparated(orpo, ift);
        bool[] claims = [dpoBest, iftClose, sftWorse, orpoWorse];
        int agreed = claims.Count(b => b);

        var lines = new List<string>
        {
            "The paper's figure (no numbers were published) orders the methods **DPO best, IFT close behind, ORPO and SFT clearly worse**.",
            $"Here, ordered by mean MSE (lower is better): {order}.",
            "",
            $"- DPO best: **{YesNo(dpoBest)}**.",
            $"- IFT close to DPO (means within the sum of their sds): **{YesNo(iftClose)}** (IFT − DPO = {N(ift.Mean - dpo.Mean, "+0.0000;-0.0000")}).",
            $"- SFT clearly worse than both DPO and IFT (mean − sd above their mean + sd): **{YesNo(sftWorse)}**.",
            $"- ORPO clearly worse than both DPO and IFT: **{YesNo(orpoWorse)}**.",
            $"- Not a claim of the figure, but the paper's thesis: IFT better than SFT: **{YesNo(ift.Mean < sft.Mean)}** (IFT − SFT = {N(ift.Mean - sft.Mean, "+0.0000;-0.0000")}, sds {N(ift.Sd, "0.0000")} and {N(sft.Sd, "0.0000")}).",
            "",
            by.TryGetValue(FrozenLakeMethod.SftThenDpo, out var sftDpo)
                ? $"Reference check (not in the paper's figure): DPO started from and referenced to the SFT policy reaches {N(sftDpo.Mean, "0.0000")} ± {N(sftDpo.Sd, "0.0000")}, against {N(dpo.Mean, "0.0000")} with the initial policy as reference and {N(sft.Mean, "0.0000")} for SFT alone."
                : "",
            "",
            agreed == 4 ? "Verdict: the ordering agrees with the paper's." :
                $"Verdict: {agreed} of the paper's 4 ordering claims hold here; where they do not, the numbers above are what this setup gives. " +
                "The map, the network width, the optimiser and the step count are ours (the paper does not publish them); this run does not test whether other choices " +
                "would give the paper's order. What is structural here: the headline MSE counts cells that SFT and IFT never train on, whose rows move only through the " +
                "shared network, while DPO and ORPO also train on the sub-optimal path's cells, most of whose rejected actions are the teacher's own (see Setup).",
        };
        return string.Join("\n", lines);
    }

    /// <summary>The evaluated step where the seeds' mean MSE is lowest, and that mean.</summary>
    static (int Step, double Mse) LowestAlongCurve(IReadOnlyList<FrozenLakeRun> runs) =>
        Enumerable.Range(0, runs[0].Curve.Count)
            .Select(i => (runs[0].Curve[i].Step, runs.Average(r => r.Curve[i].Mse)))
            .MinBy(p => p.Item2);

    static string YesNo(bool value) => value ? "yes" : "no";

    static string N(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

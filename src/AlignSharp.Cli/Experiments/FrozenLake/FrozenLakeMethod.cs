namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>The four objectives compared in the IFT paper's Frozen Lake study.</summary>
public enum FrozenLakeMethod
{
    /// <summary>NLL of the optimal trajectory's actions.</summary>
    Sft,

    /// <summary>IFT's two passes (greedy one-step prediction, mixed inputs) and discounted future-sum weights, on the optimal trajectory.</summary>
    Ift,

    /// <summary>DPO on (optimal, sub-optimal), reference = the initial policy.</summary>
    Dpo,

    /// <summary>ORPO on (optimal, sub-optimal): NLL of the optimal + β · odds-ratio term; no reference.</summary>
    Orpo,

    /// <summary>
    /// Not in the paper's figure, a sensitivity check on the reference: SFT for the configured steps, then DPO
    /// for as many with the SFT policy as start and reference (the usual SFT+DPO recipe).
    /// </summary>
    SftThenDpo,
}

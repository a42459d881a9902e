namespace AlignSharp.Bench;

/// <summary>The step being measured: SFT (token-mean NLL) or DPO with cached reference log-probs.</summary>
public enum TrainObjective { Sft, Dpo }

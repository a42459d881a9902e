using AlignSharp.Runtime;

namespace AlignSharp.Modeling;

/// <summary>
/// A module with matrix work that honours <see cref="Runtime.Precision"/>. Set for the whole model with
/// <see cref="PretrainedModel.Precision"/>; parameters stay float32 whatever the setting.
/// </summary>
public interface IMixedPrecisionModule
{
    Precision Precision { get; set; }
}

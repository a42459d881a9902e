using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>An affine map of the last dimension, whatever its weight layout (<see cref="LinearLayer"/> or GPT-2's <see cref="Conv1DLayer"/>).</summary>
public interface IProjection
{
    Tensor Forward(Tensor input);
}

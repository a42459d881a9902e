namespace AlignSharp.Training;

/// <summary>
/// One logged row: the step, the fractional epoch and named values (TRL names: <c>loss</c>,
/// <c>learning_rate</c>, <c>grad_norm</c>, <c>tokens_per_second</c>, the objective's metrics, or
/// <c>eval_*</c> for an evaluation row). Values keep the order they were added in.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(MetricsRowJsonConverter))]
public sealed record MetricsRow(int Step, double Epoch, IReadOnlyDictionary<string, double> Values);

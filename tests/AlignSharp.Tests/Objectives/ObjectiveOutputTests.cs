using AlignSharp.Objectives;
using TorchSharp;

namespace AlignSharp.Tests.Objectives;

public class ObjectiveOutputTests
{
    [Fact]
    public void WorksWithoutAnyCallerScopeAndDisposesItsLoss()
    {
        // No dispose scope around the call: the loss must be detached from the objective's own scope.
        var chosen = torch.tensor(new[] { 1.0, 2.0 });
        var rejected = torch.tensor(new[] { 0.5, 2.5 });
        try
        {
            var output = new BradleyTerryLoss().Compute(chosen, rejected);
            Assert.False(output.Loss.IsInvalid);
            Assert.True(double.IsFinite(output.Loss.ToDouble()));
            output.Dispose();
            Assert.True(output.Loss.IsInvalid);
        }
        finally
        {
            chosen.Dispose();
            rejected.Dispose();
        }
    }

    [Fact]
    public void RejectsANonScalarLoss()
    {
        using var vector = torch.zeros(2);
        Assert.Throws<ArgumentException>(() => new ObjectiveOutput(vector, new Dictionary<string, double>()));
    }
}

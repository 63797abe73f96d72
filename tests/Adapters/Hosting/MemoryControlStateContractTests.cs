using Strata.Core.Ports;
using Strata.TestKit.Fakes;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>The in-memory fake the Core tests use keeps the same contract as the real control states.</summary>
public sealed class MemoryControlStateContractTests : ControlStateContract
{
    protected override IControlState State { get; } = new MemoryControlState();
}

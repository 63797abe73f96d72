using Strata.Core.Freshness;
using Strata.Core.Status;

namespace Strata.Core.Tests.Status;

public sealed class RecoverabilityRulesTests
{
    [Fact]
    public void Table_EveryStateAndVerifiedCombination_HasExactlyOneRowWithAReason()
    {
        foreach (var state in Enum.GetValues<RecoveryPointState>())
        {
            foreach (var verified in new[] { true, false })
            {
                var rule = Assert.Single(RecoverabilityRules.Table, r => r.RpoState == state && r.Verified == verified);
                Assert.False(string.IsNullOrWhiteSpace(rule.Reason));
            }
        }

        Assert.Equal(Enum.GetValues<RecoveryPointState>().Length * 2, RecoverabilityRules.Table.Count);
    }

    [Theory]
    [InlineData(RecoveryPointState.Ok, true, Recoverability.Fresh)]
    [InlineData(RecoveryPointState.NoObjective, true, Recoverability.Fresh)]
    [InlineData(RecoveryPointState.AtRisk, true, Recoverability.AtRisk)]
    [InlineData(RecoveryPointState.Breached, true, Recoverability.Breached)]
    [InlineData(RecoveryPointState.Breached, false, Recoverability.Breached)]
    [InlineData(RecoveryPointState.Pending, false, Recoverability.NeverProven)]
    [InlineData(RecoveryPointState.NoObjective, false, Recoverability.NeverProven)]
    public void For_JudgmentTheFreshnessTimerGives_IsThePagesState(RecoveryPointState state, bool verified, Recoverability expected)
    {
        Assert.Equal(expected, RecoverabilityRules.For(state, verified).Result);
    }

    [Fact]
    public void Name_EveryState_IsTheContractsWord()
    {
        Assert.Equal(
            ["fresh", "at-risk", "breached", "never-proven", "none"],
            Enum.GetValues<Recoverability>().Select(RecoverabilityRules.Name));
    }
}

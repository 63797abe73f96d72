using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;

namespace Strata.Adapters.Tests.Kubernetes;

public class KubernetesSettingsTests
{
    [Fact]
    public void Options_NoSetting_AreTheDefaults() =>
        Assert.Equal(TimeSpan.FromSeconds(120), KubernetesSettings.Options(_ => null).OutageBudget);

    [Fact]
    public void Options_OutageBudget_InSeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(30), KubernetesSettings.Options(name => name == "STRATA_OUTAGE_BUDGET" ? "30" : null).OutageBudget);

    [Fact]
    public void Options_OutageBudgetNotANumber_SaysWhichSetting()
    {
        var error = Assert.Throws<KubeconfigException>(() => KubernetesSettings.Options(_ => "2m"));

        Assert.Equal("STRATA_OUTAGE_BUDGET: '2m' is not a number of seconds", error.Message);
    }
}

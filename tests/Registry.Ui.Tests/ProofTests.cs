using Registry.Ui.Tests.Support;

namespace Registry.Ui.Tests;

/// <summary>The inclusion proof is checked in the browser: a proof with one flipped byte, served by a test server, fails.</summary>
[Collection(ExplorerGroup.Name)]
public sealed class ProofTests(ExplorerFixture fx)
{
    [Fact]
    public async Task TamperedProof_IsShownAsFailingVerification()
    {
        await using var tamper = await TamperServer.StartAsync(fx.Service.ApiPort);
        await using var ui = await UiSession.OpenAsync(fx.Browser, tamper.Origin);
        await ui.LoadAsync("descriptor/node:eu-west-05", "descriptor");
        await ui.Page.WaitForSelectorAsync("#proof-result");
        Assert.True(tamper.Tampered >= 1);
        Assert.Equal("false", await ui.Page.GetAttributeAsync("#proof-result", "data-verified"));
        var verdict = await ui.Page.TextContentAsync("#proof-result");
        Assert.Contains("Verification failed", verdict, StringComparison.Ordinal);
        Assert.Contains("not to the state root", verdict, StringComparison.Ordinal);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task SameDescriptorThroughTheUntamperedService_Verifies()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("descriptor/node:eu-west-05?version=1", "descriptor");
        await ui.Page.WaitForSelectorAsync("#proof-result");
        Assert.Equal("true", await ui.Page.GetAttributeAsync("#proof-result", "data-verified"));
        var record = await fx.GetJsonAsync("/registry/log?from=1&limit=1");
        Assert.Contains(record[0].GetProperty("state_root").GetString()!, await ui.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        ui.AssertNoErrors();
    }
}

using System.Net;
using System.Text;
using Registry.Client.Tests.Support;
using Registry.Client.Verification;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Client.Tests;

/// <summary>Approvals are signed only over the id recomputed from the document the client was shown.</summary>
public sealed class ApprovalSignerTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Sign_ServerIdDiffersFromDocument_RefusesToSign()
    {
        var client = fixture.Client();
        var receipt = await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:sign-a")));
        using var key = Dev.Key(1);

        var error = Assert.Throws<RegistryClientException>(() => ApprovalSigner.Sign(Digest.Compute("another document"u8), receipt.Proposal, "dev-signer-1", key));
        Assert.Equal(RegistryClientErrorCodes.ProposalMismatch, error.Code);

        var approval = ApprovalSigner.Sign(receipt.ProposalId, receipt.Proposal, "dev-signer-1", key);
        Assert.True(approval.Verify(key.PublicKey, receipt.ProposalId));
    }

    [Fact]
    public async Task SignAndApproveAsync_ServerLiesAboutTheDocument_PostsNothing()
    {
        var client = fixture.Client();
        var honest = await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:honest")));
        var other = await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:other")));

        // A server that answers GET /registry/proposals/{honest} with the document of another proposal.
        using var lying = new SwappingHandler(honest.ProposalId, other.Proposal) { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(lying);
        var victim = new RegistryClient(http, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Service.ApiPort}"), Token = Dev.Token });
        using var key = Dev.Key(1);

        var error = await Assert.ThrowsAsync<RegistryClientException>(() => victim.SignAndApproveAsync(honest.ProposalId, "dev-signer-1", key));

        Assert.Equal(RegistryClientErrorCodes.ProposalMismatch, error.Code);
        Assert.Equal(0, lying.Posts);
        Assert.Empty((await client.GetProposalAsync(honest.ProposalId)).Approvals);
    }

    private sealed class SwappingHandler(Digest target, Proposal substitute) : DelegatingHandler
    {
        public int Posts { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                Posts++;
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath == $"/registry/proposals/{target}" && response.StatusCode == HttpStatusCode.OK)
            {
                var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                var writer = new CanonicalJsonWriter();
                substitute.WriteTo(writer);
                using var original = System.Text.Json.JsonDocument.Parse(body);
                var proposal = original.RootElement.GetProperty("proposal").GetRawText();
                response.Content = new StringContent(body.Replace(proposal, Encoding.UTF8.GetString(writer.WrittenSpan), StringComparison.Ordinal), Encoding.UTF8, "application/json");
            }

            return response;
        }
    }
}

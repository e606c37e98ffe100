using Registry.Core.Auth;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Api.Tests.Support;

/// <summary>Drives a running svc-registry over HTTP the way a client would, with the dev keys and token.</summary>
internal sealed class Driver(RegistryProcess service)
{
    public static readonly string Token = DevCredentials.Token();

    public HttpClient Api => service.Api;

    public async Task<JsonElement> HeadAsync()
    {
        using var response = await Api.GetAsync("/registry/head");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    /// <remarks>
    /// <paramref name="expectContinue"/> sends <c>Expect: 100-continue</c>: the body goes only once the server asks for
    /// it, so a body the server refuses unread (413) is not still being written when the server closes the connection.
    /// </remarks>
    public Task<HttpResponseMessage> PostAsync(string path, string? json, string? token = null, string contentType = "application/json", bool expectContinue = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.ExpectContinue = expectContinue ? true : null;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if ((token ?? Token) is { Length: > 0 } bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return Api.SendAsync(request);
    }

    public static string Region(string id, string name = "Region") =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"region\",\"id\":\"" + id + "\",\"attrs\":{\"name\":\"" + name + "\"}}}";

    public static string Node(string id, string region, string addr = "10.0.0.1:7000") =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"node\",\"id\":\"" + id + "\",\"attrs\":{\"addr\":\"" + addr + "\",\"region\":\"" + region + "\"}}}";

    public static string Delete(string id) => $$"""{"op":"delete","id":"{{id}}"}""";

    public async Task<string> ProposalJsonAsync(params string[] changes)
    {
        var head = await HeadAsync();
        return $$"""{"base_version":{{head.GetProperty("version").GetInt64()}},"base_hash":"{{head.GetProperty("hash").GetString()}}","changes":[{{string.Join(",", changes)}}],"expires_at":"2099-01-01T00:00:00Z","note":"test"}""";
    }

    public async Task<string> ProposeAsync(params string[] changes)
    {
        using var response = await PostAsync("/registry/proposals", await ProposalJsonAsync(changes));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("proposal_id").GetString()!;
    }

    public static string ApprovalJson(string proposalId, int devSigner)
    {
        using var key = SignerKeyDocument.DevKey(devSigner);
        var approval = Approval.Sign($"dev-signer-{devSigner}", key, Digest.Parse(proposalId));
        return $$"""{"signer_id":"{{approval.SignerId}}","algo":"ed25519","sig":"{{Convert.ToBase64String(approval.Signature)}}"}""";
    }

    public async Task ApproveAsync(string proposalId, int devSigner)
    {
        using var response = await PostAsync($"/registry/approvals/{proposalId}", ApprovalJson(proposalId, devSigner));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> CommitAsync(string proposalId)
    {
        using var response = await PostAsync($"/registry/commit/{proposalId}", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>propose → approvals by signers 1 and 2 → commit; returns the new version.</summary>
    public async Task<long> CommitChangesAsync(params string[] changes)
    {
        var id = await ProposeAsync(changes);
        await ApproveAsync(id, 1);
        await ApproveAsync(id, 2);
        return (await CommitAsync(id)).GetProperty("version").GetInt64();
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Registry.Core.Model;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Clients;

/// <summary>HEAD of the registry as a client sees it.</summary>
public readonly record struct RegistryHead(long Version, string Hash);

/// <summary>
/// Drives svc-registry's write plane the way a client does (docs/API.md): propose on the HEAD it read, three
/// approvals signed locally with the run's keys (sent together), then commit. Every call reports the HTTP status,
/// so conflicts (409 ChainMismatch) are counted, never hidden. Thread-safe.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private readonly HttpClient _http;
    private readonly TrustMaterial _trust;
    private readonly AuthenticationHeaderValue _auth;

    /// <summary>Creates a client with up to <paramref name="connections"/> connections.</summary>
    public RegistryClient(Uri baseAddress, TrustMaterial trust, int connections)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _http = HttpClients.Create(baseAddress, connections);
        _trust = trust;
        _auth = new AuthenticationHeaderValue("Bearer", trust.Token);
    }

    /// <summary>The underlying HttpClient (SSE, raw reads).</summary>
    public HttpClient Http => _http;

    /// <summary>GET /registry/head.</summary>
    public async Task<RegistryHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync("/registry/head", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return new RegistryHead(json.RootElement.GetProperty("version").GetInt64(), json.RootElement.GetProperty("hash").GetString()!);
    }

    /// <summary>POST /registry/proposals on <paramref name="head"/>; the proposal id when 202.</summary>
    public async Task<(HttpStatusCode Status, string? ProposalId)> ProposeAsync(RegistryHead head, IEnumerable<string> changes, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var expires = Timestamp.From(DateTimeOffset.UtcNow.Add(ttl));
        var body = $$"""{"base_hash":"{{head.Hash}}","base_version":{{head.Version}},"changes":[{{string.Join(",", changes)}}],"expires_at":"{{expires}}","note":"perf"}""";
        using var response = await PostAsync("/registry/proposals", body, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return (response.StatusCode, null);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return (response.StatusCode, json.RootElement.GetProperty("proposal_id").GetString());
    }

    /// <summary>Approvals by signers 1..<see cref="TrustMaterial.Threshold"/>, sent concurrently; the first non-200 status, or 200.</summary>
    public async Task<HttpStatusCode> ApproveQuorumAsync(string proposalId, CancellationToken cancellationToken = default)
    {
        var id = Digest.Parse(proposalId);
        var sends = Enumerable.Range(1, TrustMaterial.Threshold).Select(async n =>
        {
            using var response = await PostAsync($"/registry/approvals/{proposalId}", _trust.ApprovalJson(n, id), cancellationToken);
            return response.StatusCode;
        }).ToArray();
        var statuses = await Task.WhenAll(sends);
        return statuses.FirstOrDefault(s => s != HttpStatusCode.OK, HttpStatusCode.OK);
    }

    /// <summary>POST /registry/commit/{id}; the new HEAD when 201.</summary>
    public async Task<(HttpStatusCode Status, RegistryHead? Head)> CommitAsync(string proposalId, CancellationToken cancellationToken = default)
    {
        using var response = await PostAsync($"/registry/commit/{proposalId}", null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, null);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return (response.StatusCode, new RegistryHead(json.RootElement.GetProperty("version").GetInt64(), json.RootElement.GetProperty("hash").GetString()!));
    }

    /// <summary>
    /// A pre-signed submission body (<see cref="PreSignedSubmission"/>, the one builder the SDK uses too): one put of
    /// <paramref name="descriptor"/> on <paramref name="head"/>, signer set 1, approved by signers 1..3. Signing is the
    /// signers' work, so workloads build a body before they time its request.
    /// </summary>
    public byte[] PreSigned(RegistryHead head, Descriptor descriptor, TimeSpan ttl)
    {
        var proposal = new Proposal(TrustMaterial.RegistryId, head.Version, Digest.Parse(head.Hash), 1, null, [new PutChange(descriptor)], Timestamp.From(DateTimeOffset.UtcNow.Add(ttl)), "perf");
        return new PreSignedSubmission(proposal, Enumerable.Range(1, TrustMaterial.Threshold).Select(n => _trust.Approve(n, proposal.Id))).ToArray();
    }

    /// <summary>POST /registry/commits with a pre-signed body; the new HEAD when 201.</summary>
    public async Task<(HttpStatusCode Status, RegistryHead? Head)> SubmitAsync(byte[] body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/registry/commits");
        request.Headers.Authorization = _auth;
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = s_json;
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, null);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return (response.StatusCode, new RegistryHead(json.RootElement.GetProperty("version").GetInt64(), json.RootElement.GetProperty("hash").GetString()!));
    }

    /// <summary>propose → approvals → commit on the current HEAD, for seeding; throws unless every step succeeds.</summary>
    public async Task<RegistryHead> CommitChangesAsync(IEnumerable<string> changes, CancellationToken cancellationToken = default)
    {
        var head = await HeadAsync(cancellationToken);
        var (proposed, id) = await ProposeAsync(head, changes, TimeSpan.FromMinutes(10), cancellationToken);
        Expect(proposed == HttpStatusCode.Accepted, "propose", proposed);
        var approved = await ApproveQuorumAsync(id!, cancellationToken);
        Expect(approved == HttpStatusCode.OK, "approve", approved);
        var (committed, next) = await CommitAsync(id!, cancellationToken);
        Expect(committed == HttpStatusCode.Created, "commit", committed);
        return next!.Value;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> PostAsync(string path, string? json, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = _auth;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = s_json;
        }

        return _http.SendAsync(request, cancellationToken);
    }

    private static void Expect(bool ok, string step, HttpStatusCode status)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"svc-registry seeding: {step} answered {(int)status}");
        }
    }
}

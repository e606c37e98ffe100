using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Ha.Tests.Support;

/// <summary>
/// A client writing pre-signed submissions (one region each, approved by dev signers 1 and 2) through whichever node
/// it is given, the way an operator's client does on an HA cluster: 421 NotPrimary is followed to the writer it names;
/// 503, a refused connection or a lost answer is retried after 50 ms with the same submission (idempotent: a
/// submission already committed answers 201 with its version). Every 201 is an acknowledged commit, recorded.
/// </summary>
public sealed class Submitter(string name, Func<string> entryUrl)
{
    private static readonly string s_token = DevCredentials.Token();
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private int _sequence;
    private long _sent;

    /// <summary>Acknowledged commits: version to hash.</summary>
    public ConcurrentDictionary<long, string> Acknowledged { get; } = new();

    /// <summary>Submissions sent so far, answered or not (retries included).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Writes until <paramref name="stop"/>; never throws for what a fail-over causes.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CommitOneAsync(stop);

                // A steady client, not a flood: on two shared cores the nodes' restarts must not starve.
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One commit, retried until acknowledged or <paramref name="stop"/>; returns its version.</summary>
    public async Task<long> CommitOneAsync(CancellationToken stop)
    {
        var id = $"{name}-{Interlocked.Increment(ref _sequence)}";
        string? body = null;
        var url = entryUrl();
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                body ??= await SubmissionAsync(url, id, stop);
                using var request = new HttpRequestMessage(HttpMethod.Post, url + "/registry/commits") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s_token);
                Interlocked.Increment(ref _sent);
                using var response = await s_http.SendAsync(request, stop);
                var text = await response.Content.ReadAsStringAsync(stop);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var answer = JsonDocument.Parse(text).RootElement;
                    var version = answer.GetProperty("version").GetInt64();
                    Assert.True(Acknowledged.TryAdd(version, answer.GetProperty("hash").GetString()!) || Acknowledged[version] == answer.GetProperty("hash").GetString(), $"version {version} acknowledged twice with different hashes");
                    return version;
                }

                if (response.StatusCode == HttpStatusCode.MisdirectedRequest)
                {
                    url = JsonDocument.Parse(text).RootElement.GetProperty("primary").GetString()!.TrimEnd('/');
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    // HEAD moved past the base with an overlapping scope, or the signer set changed: a new proposal.
                    body = null;
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable || response.StatusCode == HttpStatusCode.TooManyRequests, $"{url}: {(int)response.StatusCode} {text}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                // The node died or is stopped: try again through the entry node (which may be another by now).
                url = entryUrl();
            }

            await Task.Delay(50, stop);
        }
    }

    /// <summary>A pre-signed submission putting region <paramref name="id"/> on the node's HEAD.</summary>
    private static async Task<string> SubmissionAsync(string url, string id, CancellationToken stop)
    {
        var head = JsonDocument.Parse(await s_http.GetStringAsync(url + "/registry/head", stop)).RootElement;
        var change = "{\"op\":\"put\",\"descriptor\":{\"kind\":\"region\",\"id\":\"" + id + "\",\"attrs\":{\"name\":\"ha\"}}}";
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes(change));
        var proposal = new Proposal(
            head.GetProperty("registry").GetString()!,
            head.GetProperty("version").GetInt64(),
            Digest.Parse(head.GetProperty("hash").GetString()!),
            head.GetProperty("signer_set_version").GetInt64(),
            null,
            [Change.FromJson(document.RootElement)],
            Timestamp.From(DateTimeOffset.UtcNow.AddHours(1)),
            "ha test");
        var approvals = new[] { 1, 2 }.Select(n =>
        {
            using var key = SignerKeyDocument.DevKey(n);
            return Approval.Sign($"dev-signer-{n}", key, proposal.Id);
        });
        return Encoding.UTF8.GetString(new PreSignedSubmission(proposal, approvals).CanonicalBytes);
    }
}

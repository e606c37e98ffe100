using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Registry.Core.Model;

namespace Registry.Api.Tests.Replication;

/// <summary>
/// A small Kestrel server on loopback that plays a primary from a list of commit records (canonical bytes, version i + 1
/// at index i), as the real API shapes them: <c>/registry/head</c>, <c>/registry/log</c> and <c>/registry/stream</c>
/// (which sends what it has after <c>Last-Event-ID</c>, then stays open until <see cref="Serve"/> replaces the records;
/// a position past its last record is 409 NotInHistory, as on the real service). With a page size, a log page holds at
/// most that many records, as a node may answer fewer than asked for.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _pageSize;
    private IReadOnlyList<byte[]> _records;
    private (long Version, byte[] Snapshot)? _checkpoint;
    private CancellationTokenSource _generation = new();

    private FakeUpstream(WebApplication app, IReadOnlyList<byte[]> records, int pageSize)
    {
        _app = app;
        _pageSize = pageSize;
        _records = records;
    }

    public string Url { get; private set; } = "";

    /// <param name="records">The chain to serve.</param>
    /// <param name="pageSize">The most records per log page.</param>
    /// <param name="checkpoint">Served as <c>/registry/checkpoints/latest</c> (version header and snapshot bytes); null: 404.</param>
    public static async Task<FakeUpstream> StartAsync(IReadOnlyList<byte[]> records, int pageSize = int.MaxValue, (long Version, byte[] Snapshot)? checkpoint = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeUpstream(app, records, pageSize) { _checkpoint = checkpoint };
        app.MapGet("/registry/head", fake.Head);
        app.MapGet("/registry/checkpoints/latest", fake.Checkpoint);
        app.MapGet("/registry/log", fake.Log);
        app.MapGet("/registry/stream", fake.StreamAsync);
        await app.StartAsync();
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <summary>Serves <paramref name="records"/> from now on, and ends every open stream (the follower reconnects).</summary>
    public void Serve(IReadOnlyList<byte[]> records)
    {
        Volatile.Write(ref _records, records);
        var old = Interlocked.Exchange(ref _generation, new CancellationTokenSource());
        old.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _generation.Cancel();
        await _app.DisposeAsync();
    }

    private IResult Head()
    {
        var records = Volatile.Read(ref _records);
        var last = records[^1];
        var version = CommitRecord.FromCanonicalBytes(last).Version;
        return Results.Text($$"""{"hash":"{{Digest.Compute(last)}}","version":{{version}}}""", "application/json");
    }

    private IResult Checkpoint(HttpResponse response)
    {
        if (_checkpoint is not { } checkpoint)
        {
            return Results.NotFound();
        }

        response.Headers["X-Registry-Checkpoint-Version"] = checkpoint.Version.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(checkpoint.Snapshot, "application/vnd.svc-registry.state-snapshot");
    }

    private IResult Log(HttpRequest request)
    {
        var records = Volatile.Read(ref _records);
        var from = int.Parse(request.Query["from"].ToString(), CultureInfo.InvariantCulture);
        var limit = int.Parse(request.Query["limit"].ToString(), CultureInfo.InvariantCulture);
        var page = records.Skip(from - 1).Take(Math.Min(limit, _pageSize)).Select(r => Encoding.UTF8.GetString(r));
        return Results.Text("[" + string.Join(",", page) + "]", "application/json");
    }

    private async Task StreamAsync(HttpContext context)
    {
        var records = Volatile.Read(ref _records);
        var generation = Volatile.Read(ref _generation).Token;
        var after = long.Parse(context.Request.Headers["Last-Event-ID"].ToString(), CultureInfo.InvariantCulture);
        if (after > records.Count)
        {
            // As the real service answers a position past its HEAD.
            context.Response.StatusCode = 409;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync($$"""{"code":"NotInHistory","detail":"Version {{after}} is not in this node's history.","status":409}""");
            return;
        }

        context.Response.ContentType = "text/event-stream";
        for (var i = (int)after; i < records.Count; i++)
        {
            await context.Response.WriteAsync($"event: commit\nid: {i + 1}\ndata: {{\"hash\":\"{Digest.Compute(records[i])}\",\"version\":{i + 1}}}\n\n");
        }

        await context.Response.Body.FlushAsync();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(generation, context.RequestAborted);
        // Held open until the test moves on or the replica disconnects: wait on that cancellation itself.
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (linked.Token.Register(() => closed.TrySetResult()))
        {
            await closed.Task;
        }
    }
}

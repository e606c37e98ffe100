using System.Text.Json;
using Microsoft.OpenApi;
using Registry.Api.Hosting;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// The OpenAPI document at <c>GET /openapi/v1.json</c> of the API listener: valid OpenAPI 3.1, and complete — every
/// route the API listener maps (enumerated in process from the same composition the service runs) is in the live
/// document of a real process, with its problem responses.
/// </summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task ApiDocument_EveryMappedApiRoute_IsDocumentedWithItsProblems()
    {
        var mapped = await MappedRoutes.OfAsync(Listener.Api);
        Assert.Contains(("GET", "/registry/head"), mapped);
        Assert.Contains(("POST", "/registry/commit/{id}"), mapped);

        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        using var document = JsonDocument.Parse(await service.Api.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var (method, path) in mapped)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is mapped on the API listener but missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is mapped but missing from the OpenAPI document");
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "429", "500" })
            {
                Assert.Equal("#/components/schemas/ProblemDocument", responses.GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
            }

            Assert.Contains(responses.EnumerateObject(), r => r.Name.StartsWith('2'));
        }

        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (o.Name.ToUpperInvariant(), p.Name))).ToHashSet();
        Assert.Equal(mapped.Order(), documented.Order());
    }

    [Fact]
    public async Task ApiDocument_IsValidOpenApi31_WithRequestBodiesAndSnakeCaseSchemas()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var json = await service.Api.GetStringAsync("/openapi/v1.json");
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var read = await OpenApiDocument.LoadAsync(stream, "json");
        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        using var document = JsonDocument.Parse(json);
        Assert.StartsWith("3.1.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);

        var propose = read.Document!.Paths["/registry/proposals"].Operations![HttpMethod.Post];
        Assert.True(propose.RequestBody!.Content!.ContainsKey("application/json"));
        var schemas = read.Document.Components!.Schemas!;
        Assert.Contains("base_version", schemas["ProposeDocument"].Properties!.Keys);
        Assert.Contains("corr_id", schemas["ProblemDocument"].Properties!.Keys);
        Assert.Equal(JsonSchemaType.Integer, schemas["HeadDocument"].Properties!["version"].Type);
    }

    [Fact]
    public async Task AdminListener_HasNoOpenApiDocument()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        using var response = await service.Admin.GetAsync("/openapi/v1.json");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Registry.Api.Endpoints.Schema;

/// <summary>
/// Endpoint annotations for the OpenAPI document: the problem responses every route can give, and the query and
/// header parameters the handlers read from the request themselves (so binding errors stay the SPEC's problems).
/// </summary>
internal static class OpenApiConventions
{
    /// <summary>The media type of every error body.</summary>
    public const string ProblemJson = "application/problem+json";

    /// <summary>Declares <see cref="ProblemDocument"/> responses (<c>application/problem+json</c>) for <paramref name="statuses"/>.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDocument), [ProblemJson]));
        }

        return builder;
    }

    /// <summary>Declares a response without a body (304 Not Modified).</summary>
    public static TBuilder ProducesEmpty<TBuilder>(this TBuilder builder, int status)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(void), []));

    /// <summary>Declares an optional integer query parameter the handler parses itself.</summary>
    public static TBuilder WithQueryInteger<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithParameter(name, ParameterLocation.Query, new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" }, description);

    /// <summary>Declares an optional string query parameter limited to <paramref name="values"/>.</summary>
    public static TBuilder WithQueryChoice<TBuilder>(this TBuilder builder, string name, string description, params string[] values)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithParameter(name, ParameterLocation.Query, new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)v)] }, description);

    /// <summary>Declares an optional string query parameter the handler parses itself.</summary>
    public static TBuilder WithQueryString<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithParameter(name, ParameterLocation.Query, new OpenApiSchema { Type = JsonSchemaType.String }, description);

    /// <summary>Declares an optional request header the handler reads itself.</summary>
    public static TBuilder WithHeader<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithParameter(name, ParameterLocation.Header, new OpenApiSchema { Type = JsonSchemaType.String }, description);

    private static TBuilder WithParameter<TBuilder>(this TBuilder builder, string name, ParameterLocation location, OpenApiSchema schema, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter { Name = name, In = location, Required = false, Schema = schema, Description = description });
            return Task.CompletedTask;
        });
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Registry.Cli.Infrastructure;

/// <summary>One command invocation: its parsed options, where to connect, and how to print.</summary>
internal sealed class CommandContext : IDisposable
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
    private readonly GlobalOptions _global;
    private HttpClient? _http;

    public CommandContext(CliEnvironment env, ParseResult parse, GlobalOptions global)
    {
        Env = env;
        Parse = parse;
        _global = global;
    }

    public CliEnvironment Env { get; }

    public ParseResult Parse { get; }

    public bool Json => Parse.GetValue(_global.Json);

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>The API listener.</summary>
    public Uri ServerUri => Endpoint(Parse.GetValue(_global.Server), "RON_REGISTRY_URL", "REGISTRY_ADDR", "127.0.0.1:9444", "--server");

    /// <summary>The admin listener.</summary>
    public Uri AdminUri => Endpoint(Parse.GetValue(_global.Admin), "RON_ADMIN_URL", "METRICS_ADDR", "127.0.0.1:9909", "--admin");

    /// <summary>The capability token, if one was given.</summary>
    public string? Token
    {
        get
        {
            if (Parse.GetValue(_global.Token) is { Length: > 0 } token)
            {
                return token.Trim();
            }

            var file = Parse.GetValue(_global.TokenFile) ?? Env.Variable("RON_TOKEN_FILE");
            if (!string.IsNullOrEmpty(file))
            {
                var path = Env.ResolvePath(file);
                return File.Exists(path) ? File.ReadAllText(path).Trim() : throw CliException.Usage($"token file '{path}' does not exist");
            }

            return Env.Variable("RON_TOKEN") is { Length: > 0 } fromEnv ? fromEnv.Trim() : null;
        }
    }

    /// <summary>The signer key directory.</summary>
    public string KeyDir
    {
        get
        {
            var dir = Parse.GetValue(_global.KeyDir) ?? Env.Variable("RON_KEY_DIR");
            if (!string.IsNullOrEmpty(dir))
            {
                return Env.ResolvePath(dir);
            }

            var config = Env.Variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Env.Variable("HOME") ?? "~", ".config");
            return Env.ResolvePath(Path.Combine(config, "ron", "keys"));
        }
    }

    public RegistryClient Client() => new(Http(), new RegistryClientOptions
    {
        BaseAddress = ServerUri,
        Token = Token,
        MaxRetries = Math.Max(0, Parse.GetValue(_global.Retries)),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
    });

    public RegistryAdminClient AdminClient() => new(Http(), AdminUri, Token);

    /// <summary>An admin client for another node's admin listener (<c>ronctl ha status --node</c>).</summary>
    public RegistryAdminClient AdminClient(Uri admin) => new(Http(), admin, Token);

    /// <summary>Writes a JSON document (indented) to stdout.</summary>
    public void WriteJson(JsonNode? node) => Env.Out.WriteLine(node?.ToJsonString(s_indented) ?? "null");

    /// <summary>Writes one JSON document per line (for streams).</summary>
    public void WriteJsonLine(JsonNode node) => Env.Out.WriteLine(node.ToJsonString());

    public void Write(IRenderable renderable) => Env.Console.Write(renderable);

    public void Line(string text) => Env.Console.WriteLine(text);

    /// <summary>A plain two-column grid of names and values (values are never read as markup).</summary>
    public void KeyValues(IEnumerable<(string Key, string? Value)> rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (key, value) in rows)
        {
            grid.AddRow(new Text(key, new Style(decoration: Decoration.Bold)), new Text(value ?? "-"));
        }

        Write(grid);
    }

    /// <summary>A table whose cells are plain text.</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    public static void Row(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "-")).ToArray());

    public void Dispose() => _http?.Dispose();

    private HttpClient Http() => _http ??= new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(Math.Max(1, Parse.GetValue(_global.Timeout))),
    };

    private Uri Endpoint(string? flag, string urlVariable, string addrVariable, string fallback, string name)
    {
        var text = flag ?? Env.Variable(urlVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            // REGISTRY_ADDR/METRICS_ADDR are the service's bind addresses: a wildcard means "this host".
            var addr = Env.Variable(addrVariable);
            addr = string.IsNullOrWhiteSpace(addr) ? fallback : addr.Trim();
            addr = addr.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal);
            text = "http://" + addr;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw CliException.Usage($"{name} '{text}' is not an http(s) URL");
    }
}

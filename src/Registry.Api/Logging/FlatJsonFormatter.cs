using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting;

namespace Registry.Api.Logging;

/// <summary>
/// One JSON object per line: <c>{"ts","level","msg","logger",…properties,"exception"}</c>. <c>msg</c> is the
/// rendered message, so lines such as <c>ready=1 service=svc-registry role=read-plane</c> can be grepped.
/// </summary>
public sealed class FlatJsonFormatter : ITextFormatter
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteString("ts", logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", Level(logEvent.Level));
            json.WriteString("msg", Render(logEvent));
            foreach (var (name, value) in logEvent.Properties)
            {
                var key = name switch
                {
                    "SourceContext" => "logger",
                    "EventId" => "event_id",
                    _ => name,
                };
                json.WritePropertyName(key);
                WriteValue(json, value);
            }

            if (logEvent.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Write('\n');
    }

    // Like RenderMessage, but strings are written bare (no quotes), so "ready=1 … hash=sha256:…" greps cleanly.
    private static string Render(LogEvent logEvent)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is Serilog.Parsing.PropertyToken property
                && logEvent.Properties.TryGetValue(property.PropertyName, out var value)
                && value is ScalarValue { Value: string raw })
            {
                text.Write(raw);
            }
            else
            {
                token.Render(logEvent.Properties, text, CultureInfo.InvariantCulture);
            }
        }

        return text.ToString();
    }

    private static void WriteValue(Utf8JsonWriter json, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: null }:
                json.WriteNullValue();
                break;
            case ScalarValue { Value: bool b }:
                json.WriteBooleanValue(b);
                break;
            case ScalarValue { Value: int or long or double or float or decimal or short or byte or uint or ulong } number:
                json.WriteRawValue(Convert.ToString(number.Value, CultureInfo.InvariantCulture)!);
                break;
            case ScalarValue scalar:
                json.WriteStringValue(Convert.ToString(scalar.Value, CultureInfo.InvariantCulture));
                break;
            case StructureValue structure when structure.Properties.FirstOrDefault(p => p.Name == "Id") is { } id:
                WriteValue(json, id.Value);
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }

    private static string Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "trace",
        LogEventLevel.Debug => "debug",
        LogEventLevel.Information => "info",
        LogEventLevel.Warning => "warn",
        LogEventLevel.Error => "error",
        _ => "fatal",
    };
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Registry.Api.Metrics;

public sealed partial class PrometheusExporter
{
    private sealed class Family(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

        public Instrument Instrument { get; } = instrument;

        private string Type => Instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
            Histogram<double> or Histogram<long> => "histogram",
            _ => "gauge",
        };

        public void Record(double value, string labels)
        {
            var series = _series.GetOrAdd(labels, static _ => new Series());
            lock (series)
            {
                switch (Type)
                {
                    case "histogram":
                        series.Observe(value);
                        break;
                    case "counter" when Instrument.IsObservable:
                        series.Value = value;
                        break;
                    case "counter":
                        series.Value += value;
                        break;
                    default:
                        if (Instrument.IsObservable)
                        {
                            series.Value = value;
                        }
                        else
                        {
                            series.Value += value;
                        }

                        break;
                }
            }
        }

        public void Render(StringBuilder text)
        {
            var name = Instrument.Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(Instrument.Description ?? name).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(Type).Append('\n');
            if (_series.IsEmpty && Type == "histogram")
            {
                // An unobserved histogram still exports zero buckets, so rules and dashboards see the series.
                _series.TryAdd(string.Empty, new Series());
            }

            foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (Type != "histogram")
                    {
                        text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(series.Value)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i < s_buckets.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        var le = "le=\"" + Number(s_buckets[i]) + "\"";
                        text.Append(name).Append("_bucket").Append(Braces(Join(labels, le))).Append(' ').Append(cumulative).Append('\n');
                    }

                    text.Append(name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(series.Count).Append('\n');
                    text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(series.Value)).Append('\n');
                    text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count).Append('\n');
                }
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;
    }

    private sealed class Series
    {
        public double Value { get; set; }

        public long Count { get; private set; }

        public long[] Buckets { get; } = new long[s_buckets.Length];

        public void Observe(double value)
        {
            Value += value;
            Count++;
            var index = Array.BinarySearch(s_buckets, value);
            index = index >= 0 ? index : ~index;
            if (index < Buckets.Length)
            {
                Buckets[index]++;
            }
        }
    }
}

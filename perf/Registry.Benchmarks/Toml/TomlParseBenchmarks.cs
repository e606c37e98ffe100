using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Registry.Toml;
using Registry.Toml.Configuration;

namespace Registry.Benchmarks.Toml;

/// <summary>
/// Issue 4's targets: a 200-line configuration parses in under 1 ms after warm-up, a 1 MiB document
/// in under 50 ms. The configuration load (parse, flatten, build) is measured too, as start-up pays it.
/// </summary>
[MemoryDiagnoser]
public class TomlParseBenchmarks
{
    private byte[] _configuration = [];
    private byte[] _large = [];

    [GlobalSetup]
    public void Setup()
    {
        _configuration = TomlBenchmarkDocuments.Configuration200Lines();
        _large = TomlBenchmarkDocuments.GeneratedDocument();
    }

    [Benchmark]
    public TomlTable Parse200LineConfiguration() => TomlParser.Parse(_configuration);

    [Benchmark]
    public TomlTable Parse1MiBDocument() => TomlParser.Parse(_large);

    [Benchmark]
    public IConfigurationRoot Load200LineConfiguration() =>
        new ConfigurationBuilder().AddTomlStream(new MemoryStream(_configuration)).Build();
}

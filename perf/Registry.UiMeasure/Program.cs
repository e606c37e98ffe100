using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;

// perf/ui-measure.sh [--descriptors N] [--commits N] [--runs N]: builds the data set offline, starts svc-registry on it,
// and times every explorer page in headless Chromium. Prints a Markdown table; asserts nothing.
var descriptors = Arg("--descriptors", 50_000);
var commits = Arg("--commits", 100_000);
var runs = Arg("--runs", 7);
var root = FindRepoRoot();
var serviceDll = Path.Combine(root, "src", "Registry.Api", "bin", "Release", "net10.0", "svc-registry.dll");
var work = Directory.CreateTempSubdirectory("svcr-ui-measure-").FullName;
try
{
    using var trust = TrustMaterial.Generate();
    var config = trust.WriteConfig(Path.Combine(work, "config"));
    var data = new LargeDataSet(descriptors, commits);
    var dataDir = Path.Combine(work, "data");
    Console.WriteLine($"ui-measure: building {descriptors:#,0} descriptors in {commits:#,0} commits offline…");
    var (version, built) = await RegistryDataBuilder.BuildAsync(dataDir, trust, data);
    Console.WriteLine($"ui-measure: built version {version:#,0} in {built.TotalSeconds:0.0} s; starting svc-registry");
    await using var server = await RegistryServer.StartAsync(serviceDll, config, dataDir, amnesia: false, cpus: null, logFile: Path.Combine(work, "service.log"));
    var origin = server.BaseAddress.ToString().TrimEnd('/');
    using var http = new HttpClient { BaseAddress = server.BaseAddress };
    var head = await http.GetFromJsonAsync<JsonElement>("/registry/head");
    var headVersion = head.GetProperty("version").GetInt64();
    var count = head.GetProperty("descriptor_count").GetInt64();
    var someNode = (await http.GetFromJsonAsync<JsonElement>($"/registry/{headVersion}/descriptors?kind=node&prefix=node:large-0123&limit=1")).GetProperty("descriptors")[0].GetProperty("id").GetString()!;

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    });
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
    var page = await context.NewPageAsync();
    page.SetDefaultTimeout(120_000);
    var errors = new List<string>();
    page.Console += (_, m) =>
    {
        if (m.Type == "error")
        {
            errors.Add(m.Text);
        }
    };

    var routes = new (string Name, string Route)[]
    {
        ("overview", "overview"),
        ("history", "history"),
        ("diff", $"diff?from={headVersion - 1}&to={headVersion}"),
        ("descriptors", "descriptors"),
        ("descriptor", $"descriptor/{someNode}"),
        ("proposals", "proposals"),
    };
    var rows = new List<string>();
    foreach (var (name, route) in routes)
    {
        var load = new List<double>();
        var nav = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            // A fresh document: navigation start to the page's data-page-ready (its data is fetched and rendered).
            await page.GotoAsync("about:blank");
            await page.GotoAsync($"{origin}/ui/#/{route}");
            await page.WaitForSelectorAsync($"body[data-page-ready='{name}']", new() { State = WaitForSelectorState.Attached });
            var readyAt = double.Parse((await page.GetAttributeAsync("body", "data-ready-at"))!, CultureInfo.InvariantCulture);

            // A navigation inside the running explorer (from the overview): hashchange to data-page-ready.
            await page.EvaluateAsync("() => { document.body.removeAttribute('data-page-ready'); location.hash = '#/nowhere'; }");
            await page.WaitForSelectorAsync("body[data-page-ready='nowhere']", new() { State = WaitForSelectorState.Attached });
            await page.EvaluateAsync("h => { document.body.removeAttribute('data-page-ready'); location.hash = h; }", "#/" + route);
            await page.WaitForSelectorAsync($"body[data-page-ready='{name}']", new() { State = WaitForSelectorState.Attached });
            var routeMs = double.Parse((await page.GetAttributeAsync("body", "data-route-ms"))!, CultureInfo.InvariantCulture);
            if (i > 0)
            {
                load.Add(readyAt);
                nav.Add(routeMs);
            }
        }

        rows.Add($"| {name} | {Median(load):0} | {load.Max():0} | {Median(nav):0} | {nav.Max():0} |");
    }

    // Descriptor search: set the prefix, submit, until the answer is rendered (measured inside the page).
    await page.GotoAsync($"{origin}/ui/#/descriptors");
    await page.WaitForSelectorAsync("body[data-page-ready='descriptors']", new() { State = WaitForSelectorState.Attached });
    var searches = new List<(string Query, double Ms)>();
    foreach (var prefix in new[] { "node:large-0", "node:large-01", "node:large-0123", "node:large-04999", "region:", "svc:", "node:large-" })
    {
        var ms = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var t = await page.EvaluateAsync<double>(
                """
                (prefix) => new Promise((resolve) => {
                  const status = document.querySelector('#q-status');
                  const input = document.querySelector('#q-prefix');
                  const t0 = performance.now();
                  const seen = new MutationObserver(() => {
                    if (status.dataset.busy === 'false') {
                      seen.disconnect();
                      requestAnimationFrame(() => resolve(performance.now() - t0));
                    }
                  });
                  seen.observe(status, { attributes: true, childList: true, characterData: true, subtree: true });
                  input.value = prefix;
                  input.form.requestSubmit();
                })
                """, prefix);
            if (i > 0)
            {
                ms.Add(t);
            }
        }

        searches.Add((prefix, Median(ms)));
        searches.Add((prefix + " (max)", ms.Max()));
    }

    Console.WriteLine();
    Console.WriteLine($"Web explorer on {count:#,0} descriptors and {headVersion:#,0} commits (HEAD {headVersion:#,0}), headless Chromium, {runs} runs each after one warm-up, {Environment.ProcessorCount} cores:");
    Console.WriteLine();
    Console.WriteLine("| page | load → interactive, median ms | max ms | in-app navigation → interactive, median ms | max ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    rows.ForEach(Console.WriteLine);
    Console.WriteLine();
    Console.WriteLine("| descriptor search (prefix) | submit → results rendered, ms |");
    Console.WriteLine("| --- | ---: |");
    foreach (var (query, ms) in searches)
    {
        Console.WriteLine($"| `{query}` | {ms:0.0} |");
    }

    Console.WriteLine();
    Console.WriteLine(errors.Count == 0 ? "console errors: none" : "console errors:\n" + string.Join('\n', errors));
}
finally
{
    Directory.Delete(work, recursive: true);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Registry.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Registry.sln not found above " + AppContext.BaseDirectory);
}

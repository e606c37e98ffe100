using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Registry.Benchmarks.Store.StoreDataset).Assembly).Run(args);

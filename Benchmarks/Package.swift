// swift-tools-version:6.1
// A separate package so that package-benchmark never enters the product's dependency graph.
import PackageDescription

let package = Package(
    name: "SeinhuisBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "seinhuis", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "Fixtures",
            dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Fixtures"
        ),
        .executableTarget(
            name: "Ingest",
            dependencies: [
                "Fixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SeinhuisCore", package: "seinhuis"),
                .product(name: "SeinhuisStore", package: "seinhuis"),
            ],
            path: "Benchmarks/Ingest",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Replay",
            dependencies: [
                "Fixtures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SeinhuisCore", package: "seinhuis"),
            ],
            path: "Benchmarks/Replay",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // seinhuis whatif on a year of breaches (docs/PERFORMANCE.md, "What if").
        .executableTarget(
            name: "WhatIf",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SeinhuisCore", package: "seinhuis"),
                .product(name: "SeinhuisStore", package: "seinhuis"),
                .product(name: "SeinhuisApp", package: "seinhuis"),
            ],
            path: "Benchmarks/WhatIf",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

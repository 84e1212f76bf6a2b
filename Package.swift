// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "seinhuis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "seinhuis", targets: ["seinhuis"]),
        .executable(name: "simulator", targets: ["simulator"]),
        // Libraries for the separate benchmark package (Benchmarks/).
        .library(name: "SeinhuisCore", targets: ["SeinhuisCore"]),
        .library(name: "SeinhuisStore", targets: ["SeinhuisStore"]),
        .library(name: "SeinhuisPipeline", targets: ["SeinhuisPipeline"]),
        .library(name: "SeinhuisApp", targets: ["SeinhuisApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        // Only its HummingbirdBcrypt product (bcrypt in C, no further dependencies) is built.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // libcrypto for SHA-256 of session tokens (the console's sessions) and of the audit chain; swift-crypto would
        // build BoringSSL.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(
            name: "SeinhuisCore",
            dependencies: [
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // COpenSSL: SHA-256 of the audit chain (docs/AUDIT.md).
        .target(name: "SeinhuisStore", dependencies: ["SeinhuisCore", "CSQLite", "COpenSSL"]),
        // serve's transports around the rules (sockets, commits, acks, publication), replay, metrics.
        .target(
            name: "SeinhuisPipeline",
            dependencies: [
                "SeinhuisCore", "SeinhuisStore", "ZeroMQ",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // What the command line and the HTTP layer share: dossier import, the review desk and its reports,
        // password hashing, latency queries.
        .target(
            name: "SeinhuisApp",
            dependencies: [
                "SeinhuisCore", "SeinhuisStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // The HTTP API and the console.
        .target(
            name: "SeinhuisHTTP",
            dependencies: [
                "SeinhuisCore", "SeinhuisStore", "SeinhuisApp", "COpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // `serve`: the pipeline, the HTTP server and the console's feed in one service group.
        .target(
            name: "SeinhuisServer",
            dependencies: [
                "SeinhuisCore", "SeinhuisStore", "SeinhuisPipeline", "SeinhuisHTTP", "ZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "seinhuis",
            dependencies: [
                "SeinhuisServer", "SeinhuisPipeline", "SeinhuisHTTP", "SeinhuisApp", "SeinhuisStore", "SeinhuisCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "simulator",
            dependencies: [
                // `seinhuis` only so that `swift run simulator loadrun` builds the serve binary it starts.
                "SeinhuisCore", "SeinhuisStore", "ZeroMQ", "seinhuis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "simulator/Sources/simulator"
        ),
        .testTarget(name: "SeinhuisCoreTests", dependencies: ["SeinhuisCore"]),
        .testTarget(name: "SeinhuisStoreTests", dependencies: ["SeinhuisStore", "SeinhuisCore"]),
        .testTarget(name: "SeinhuisAppTests", dependencies: ["SeinhuisApp", "SeinhuisStore", "SeinhuisCore"]),
        // A real `serve` on free ports and an HTTP client for it, for the pipeline's and the HTTP layer's tests.
        .target(
            name: "SeinhuisTestSupport",
            dependencies: [
                "SeinhuisServer", "SeinhuisPipeline", "SeinhuisApp", "SeinhuisStore", "SeinhuisCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SeinhuisTestSupport"
        ),
        .testTarget(
            name: "SeinhuisPipelineTests",
            dependencies: [
                "SeinhuisPipeline", "SeinhuisTestSupport", "SeinhuisApp", "SeinhuisStore", "SeinhuisCore", "ZeroMQ",
            ]
        ),
        .testTarget(
            name: "SeinhuisHTTPTests",
            dependencies: [
                "SeinhuisHTTP", "SeinhuisTestSupport", "SeinhuisApp", "SeinhuisStore", "SeinhuisCore", "ZeroMQ",
            ]
        ),
        .testTarget(
            name: "SeinhuisServerTests", dependencies: ["SeinhuisServer", "SeinhuisHTTP", "SeinhuisCore", "ZeroMQ"]),
        // SeinhuisStore: its SQLite connection tampers with the audit trail as someone with the file would.
        .testTarget(
            name: "EndToEndTests", dependencies: ["ZeroMQ", "SeinhuisCore", "SeinhuisStore", "seinhuis", "simulator"]),
    ],
    swiftLanguageModes: [.v6]
)

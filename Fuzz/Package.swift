// swift-tools-version:6.1
// libFuzzer targets (docs/FUZZING.md; run with scripts/fuzz): a separate package, so that the product's build and
// CI never see the sanitizer flags. Each target links the main package's SeinhuisCore, where the code under test is.
import PackageDescription

let package = Package(
    name: "SeinhuisFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "seinhuis", path: "..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver (each target's main hands over to it).
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzEventDecoder",
            dependencies: ["FuzzDriver", .product(name: "SeinhuisCore", package: "seinhuis")]),
        .executableTarget(
            name: "FuzzReliableBatch",
            dependencies: ["FuzzDriver", .product(name: "SeinhuisCore", package: "seinhuis")]),
        .executableTarget(
            name: "FuzzDossierReader",
            dependencies: ["FuzzDriver", .product(name: "SeinhuisCore", package: "seinhuis")]),
    ],
    swiftLanguageModes: [.v6]
)

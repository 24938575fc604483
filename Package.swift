// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "syncline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "syncline", targets: ["syncline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // Leaf: the record types every layer shares, and the accounting of what happened to them
        // (activity, rejections, latency observations, metric names); no dependencies.
        .target(name: "SynclineRecords", swiftSettings: strict),
        // The only module that touches librdkafka; knows records, not the mapping language.
        .target(
            name: "SynclineKafka",
            dependencies: [
                "CRdKafka",
                "SynclineRecords",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SynclineMapping",
            dependencies: [
                "SynclineRecords",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Marks a fatal signal on a runtime thread in a mapped file (the poison-pill guard).
        .target(name: "CCrashMark"),
        // The connector runtime: the loop, delivery tracking, commits, accounting.
        .target(
            name: "SynclineRuntime",
            dependencies: [
                "SynclineMapping",
                "SynclineRecords",
                "SynclineKafka",
                "CCrashMark",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SynclineSecurity",
            dependencies: [
                "SynclineMapping",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SynclineStore",
            dependencies: [
                "SynclineRecords",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SynclineConnectors",
            dependencies: [
                "SynclineMapping",
                "SynclineRuntime",
                "SynclineKafka",
                "SynclineStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The CLI's tooling over connectors: fixture running, sample loading and checks (`syncline test`, `validate`).
        .target(
            name: "SynclineTooling",
            dependencies: [
                "SynclineMapping",
                "SynclineConnectors",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SynclineAdmin",
            dependencies: [
                "SynclineMapping",
                "SynclineSecurity",
                "SynclineStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // `syncline up --demo`: realistic traffic from every upstream system, run by the hub as an extra service.
        .target(
            name: "SynclineDemo",
            dependencies: [
                "SynclineRecords",
                "SynclineMapping",
                "SynclineKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SynclineHub",
            dependencies: [
                "SynclineMapping",
                "SynclineSecurity",
                "SynclineStore",
                "SynclineAdmin",
                .product(name: "Prometheus", package: "swift-prometheus"),
                "SynclineKafka",
                "SynclineRuntime",
                "SynclineConnectors",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "syncline",
            dependencies: [
                "SynclineMapping",
                "SynclineSecurity",
                "SynclineKafka",
                "SynclineRuntime",
                "SynclineConnectors",
                "SynclineTooling",
                "SynclineHub",
                "SynclineDemo",
                "SynclineStore",
                "SynclineAdmin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(name: "SynclineTestSupport", path: "Tests/SynclineTestSupport", swiftSettings: strict),
        // Reads fixtures and samples with the CLI's tooling (SynclineTooling) to compare the compiled and interpreted paths.
        .testTarget(name: "SynclineMappingTests", dependencies: ["SynclineMapping", "SynclineTooling", "SynclineTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "SynclineSecurityTests",
            dependencies: ["SynclineSecurity", "SynclineMapping", "SynclineTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SynclineRuntimeTests",
            dependencies: ["SynclineRuntime", "SynclineMapping", "SynclineRecords", "SynclineKafka", "SynclineTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "SynclineKafkaTests", dependencies: ["SynclineKafka", "SynclineRecords"], swiftSettings: strict),
        .testTarget(
            name: "SynclineStoreTests",
            dependencies: ["SynclineStore", "SynclineMapping", "SynclineTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The admin API over a real listener against a fake backend: no Kafka, no hub.
        .testTarget(
            name: "SynclineAdminTests",
            dependencies: [
                "SynclineAdmin", "SynclineStore", "SynclineMapping",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SynclineConnectorsTests",
            dependencies: ["SynclineConnectors", "SynclineRuntime", "SynclineKafka", "SynclineMapping", "SynclineHub", "SynclineStore", "SynclineTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SynclineToolingTests",
            dependencies: ["SynclineTooling", "SynclineConnectors", "SynclineMapping", "SynclineTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SynclineDemoTests",
            dependencies: ["SynclineDemo", "SynclineMapping", "SynclineKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SynclineHubTests",
            dependencies: [
                "SynclineHub", "SynclineDemo", "SynclineKafka", "SynclineRuntime", "SynclineMapping", "SynclineStore", "SynclineAdmin", "syncline", "SynclineSecurity", "SynclineTestSupport",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
    ]
)

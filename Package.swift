// swift-tools-version:6.2
import PackageDescription

// Shared settings come BEFORE `let package`: a global declared below it is still empty when
// `package` is evaluated, so the targets would silently get no settings.
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),  // SE-0335: `any P` must be spelled out
    .enableUpcomingFeature("MemberImportVisibility"),  // SE-0444: import the module you actually use
]

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let asyncHTTPClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let nioSSL: Target.Dependency = .product(name: "NIOSSL", package: "swift-nio-ssl")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let openAPIRuntime: Target.Dependency = .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")

let package = Package(
    name: "lifeboat",
    platforms: [.macOS(.v15)],  // Linux is the target; this only lets developers build on a Mac
    products: [
        .executable(name: "lifeboat-server", targets: ["lifeboat-server"]),
        .executable(name: "lifeboat", targets: ["lifeboat"]),
        .executable(name: "kubesim", targets: ["kubesim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.0"),  // built only by scripts/generate-api.sh
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),  // SigV4, HMAC, AES-GCM
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),  // kubeconfig and manifest parsing
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),  // already in the graph; imported by API middleware
    ],
    targets: [
        // MARK: - Libraries
        .target(name: "LifeboatCore", swiftSettings: strictSwift),
        .systemLibrary(
            name: "CZlib",  // the system zlib, for LifeboatArchive's streaming gzip
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "LifeboatArchive", dependencies: ["LifeboatCore", "CZlib"], swiftSettings: strictSwift),
        .target(
            name: "LifeboatAPI",  // spec and generator config live in openapi/, outside Sources/
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "LifeboatStore",
            dependencies: ["LifeboatCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "LifeboatKube",
            dependencies: ["LifeboatCore", asyncHTTPClient, nioSSL, yams,
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOWebSocket", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "LifeboatObjectStore",
            dependencies: ["LifeboatCore", asyncHTTPClient, crypto, nioSSL, logging,
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),  // NIOThreadPool for blocking file I/O
                           .product(name: "NIOHTTP1", package: "swift-nio"),  // HTTPMethod/HTTPHeaders of AsyncHTTPClient's API
                           .product(name: "NIOFoundationCompat", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "LifeboatEngine",  // backup and restore execution: item collection, archive streaming, restore planning
            dependencies: ["LifeboatCore", "LifeboatKube", "LifeboatObjectStore", "LifeboatArchive", crypto, logging,
                           .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "LifeboatServer",
            dependencies: [
                "LifeboatCore", "LifeboatAPI", "LifeboatStore", "LifeboatObjectStore", "LifeboatKube", "LifeboatArchive",
                "LifeboatEngine", hummingbird, crypto, logging, httpTypes, openAPIRuntime, yams, nioSSL,
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "KubeSim",
            dependencies: [
                "LifeboatCore", hummingbird, yams, crypto, logging,
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: - Executables
        .executableTarget(
            name: "lifeboat-server",
            dependencies: ["LifeboatServer", hummingbird, argumentParser, logging, yams,
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "lifeboat",  // only an API client: LifeboatAPI and the transport, nothing of the server
            dependencies: ["LifeboatAPI", argumentParser, yams, httpTypes,
                           .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                           .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client")],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "kubesim",
            dependencies: ["KubeSim", argumentParser, hummingbird, logging],
            swiftSettings: strictSwift
        ),

        .executableTarget(
            name: "kube-benchmark",  // LifeboatKube list throughput beside kubectl; driven by benchmarks/kube/run.sh
            dependencies: ["LifeboatKube"],
            path: "benchmarks/kube/Sources/kube-benchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "engine-benchmark",  // backup and restore throughput and memory on kubesim; driven by benchmarks/engine/run.sh
            dependencies: ["LifeboatEngine", "LifeboatKube", "LifeboatObjectStore", "LifeboatArchive", "LifeboatCore", argumentParser, logging,
                           .product(name: "NIOCore", package: "swift-nio")],
            path: "benchmarks/engine/Sources/engine-benchmark",
            swiftSettings: strictSwift
        ),

        // MARK: - Tests
        .testTarget(name: "LifeboatCoreTests", dependencies: ["LifeboatCore"], swiftSettings: strictSwift),
        .testTarget(name: "LifeboatArchiveTests", dependencies: ["LifeboatArchive", "LifeboatCore"], swiftSettings: strictSwift),
        .testTarget(name: "LifeboatStoreTests", dependencies: ["LifeboatStore", "LifeboatCore"], swiftSettings: strictSwift),
        .testTarget(name: "LifeboatKubeTests", dependencies: ["LifeboatKube", "KubeSim", .product(name: "NIOCore", package: "swift-nio")], swiftSettings: strictSwift),
        .testTarget(
            name: "LifeboatObjectStoreTests",
            dependencies: ["LifeboatObjectStore", "LifeboatCore", asyncHTTPClient, crypto, logging,
                           .product(name: "NIOCore", package: "swift-nio")],
            exclude: ["Support/moto_launcher.py", "Support/s3_interop.py", "Support/fault_proxy.py", "Support/presign_check.py"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "LifeboatServerTests",
            dependencies: ["LifeboatServer", "LifeboatAPI", "LifeboatStore", "LifeboatCore", "LifeboatArchive", "LifeboatObjectStore", hummingbird,
                           .product(name: "HummingbirdTesting", package: "hummingbird"), httpTypes, openAPIRuntime, logging, crypto,
                           asyncHTTPClient, .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                           "KubeSim",  // the cluster check against a real emulator
                           // Jobs/ and Security/ tests: graceful shutdown in tests.
                           .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "LifeboatEngineTests",  // the engine against a real kubesim and real stores
            dependencies: ["LifeboatEngine", "LifeboatCore", "LifeboatKube", "LifeboatObjectStore", "LifeboatArchive", "KubeSim",
                           logging, .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "LifeboatAPITests", dependencies: ["LifeboatAPI", openAPIRuntime], swiftSettings: strictSwift),
        .testTarget(
            name: "LifeboatCLITests",  // unit tests of the parse tree and rendering, plus the built binary against a live server
            dependencies: ["lifeboat", "LifeboatAPI", "LifeboatServer", "LifeboatCore", hummingbird, yams, openAPIRuntime,
                           argumentParser, httpTypes, .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "KubeSimTests",
                    dependencies: ["KubeSim", hummingbird, asyncHTTPClient, .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
                    swiftSettings: strictSwift),
    ]
)

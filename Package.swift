// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "amparo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "amparo", targets: ["amparo"]),
        .library(name: "AmparoDomain", targets: ["AmparoDomain"]),
        .library(name: "AmparoStorage", targets: ["AmparoStorage"]),
        .library(name: "AmparoWeb", targets: ["AmparoWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
    ],
    targets: [
        // The rules of the system: plain Swift, no storage, no HTTP.
        .target(name: "AmparoDomain", swiftSettings: strict),
        // SQLKit over SQLite and PostgreSQL: migrations, repositories, whole-registry jobs.
        .target(
            name: "AmparoStorage",
            dependencies: [
                "AmparoDomain",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Hummingbird: the JSON API and the back office's pages, rendered from Mustache templates.
        .target(
            name: "AmparoWeb",
            dependencies: [
                "AmparoDomain",
                "AmparoStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "amparo",
            dependencies: [
                "AmparoDomain",
                "AmparoStorage",
                "AmparoWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Fresh databases of both kinds and exchange files on disk, for the test targets.
        .target(
            name: "AmparoTestSupport",
            dependencies: ["AmparoDomain", "AmparoStorage", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/AmparoTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "AmparoDomainTests", dependencies: ["AmparoDomain"], swiftSettings: strict),
        .testTarget(
            name: "AmparoStorageTests",
            dependencies: ["AmparoDomain", "AmparoStorage", "AmparoTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AmparoWebTests",
            dependencies: [
                "AmparoDomain", "AmparoStorage", "AmparoWeb", "AmparoTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ]
)

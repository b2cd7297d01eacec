import ArgumentParser
import Foundation
import LifeboatAPI
import OpenAPIRuntime

/// `lifeboat backup-location …`: where backups are stored (S3-compatible buckets or a directory).
struct BackupLocationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup-location", abstract: "Work with backup storage locations.",
        subcommands: [Create.self, Get.self, Set.self, Delete.self], aliases: ["backup-locations", "bsl"])
}

/// Credential flags shared by `create` and `set`.
struct StorageCredentialOptions: ParsableArguments {
    @Option(help: "AWS shared-credentials file (as Velero's --secret-file); stored encrypted, never shown again.")
    var credentialsFile: String?

    @Option(help: "Profile of --credentials-file to use.")
    var profile: String?

    /// The write-only credential, or nil when no file was given.
    func makeCredential() throws -> Components.Schemas.StorageCredential? {
        guard let credentialsFile else {
            if profile != nil { throw CLIError("--profile needs --credentials-file") }
            return nil
        }
        let text = try readFile(credentialsFile, what: "credentials file")
        try AWSCredentialsFile(parsing: text).validate(profile: profile ?? "default")
        return Components.Schemas.StorageCredential(awsSharedCredentials: text, profile: profile)
    }
}

extension BackupLocationCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a backup storage location.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Location name (DNS-1123 label).") var name: String
        @Option(help: "s3 or filesystem.") var provider: String
        @Option(help: "Bucket; for filesystem, the root directory.") var bucket: String
        @Option(help: "Prefix inside the bucket.") var prefix: String?
        @Option(help: "Provider config, key=value comma-separated: region, s3Url, s3ForcePathStyle, insecureSkipTLSVerify.")
        var config: [String] = []
        @OptionGroup var credential: StorageCredentialOptions
        @Option(help: "PEM CA bundle of the S3 endpoint.") var cacert: String?
        @Option(help: "ReadWrite or ReadOnly.") var accessMode: String?
        @Flag(help: "Make this the default location.") var `default` = false
        @Option(help: "How often to sync backups from the bucket, e.g. 1m; 0s disables.") var backupSyncPeriod: String?
        @Option(help: "How often to validate the location, e.g. 1m; 0s disables.") var validationFrequency: String?
        @Option(help: "Labels on the location, key=value comma-separated.") var labels: [String] = []
        @Flag(name: [.customShort("w"), .long], help: "Wait until the first validation finishes.") var wait = false

        func validate() throws {
            guard Components.Schemas.BackupStorageLocationSpec.ProviderPayload(rawValue: provider) != nil else {
                throw ValidationError("--provider must be s3 or filesystem")
            }
            if let accessMode, Components.Schemas.BackupStorageLocationSpec.AccessModePayload(rawValue: accessMode) == nil {
                throw ValidationError("--access-mode must be ReadWrite or ReadOnly")
            }
        }

        func makeLocation() throws -> Components.Schemas.BackupStorageLocation {
            guard let provider = Components.Schemas.BackupStorageLocationSpec.ProviderPayload(rawValue: provider) else {
                throw CLIError("--provider must be s3 or filesystem")
            }
            var storage = Components.Schemas.ObjectStorageLocation(bucket: bucket)
            storage.prefix = prefix
            if let cacert { storage.caCert = Data(try readFile(cacert, what: "CA file").utf8).base64EncodedString() }
            var spec = Components.Schemas.BackupStorageLocationSpec(provider: provider, objectStorage: storage)
            let configMap = try FlagParsing.keyValueMap(config, flag: "--config")
            if !configMap.isEmpty { spec.config = .init(additionalProperties: configMap) }
            spec.credential = try credential.makeCredential()
            spec.accessMode = accessMode.flatMap { .init(rawValue: $0) }
            if `default` { spec._default = true }
            spec.backupSyncPeriod = backupSyncPeriod
            spec.validationFrequency = validationFrequency
            let labels = try FlagParsing.keyValueMap(labels, flag: "--labels")
            return Components.Schemas.BackupStorageLocation(metadata: .named(name, labels: labels), spec: spec)
        }

        func run() async throws {
            let api = try client.makeClient()
            let body = try makeLocation()
            var location = try await callAPI { try await api.createBackupStorageLocation(body: .json(body)).created.body.json }
            if wait {
                location = try await Waiting.until({ try await BackupLocationCommand.fetch(name, api) }, isDone: {
                    $0.status?.lastValidationTime != nil
                })
            }
            if let document = try Rendering.document(location, format: format.output) { print(document); return }
            print("Backup storage location \"\(name)\" configured successfully.")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List backup storage locations, or get the named ones.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Location names; none lists all.") var names: [String] = []
        @Option(name: [.customShort("l"), .long], help: "Only locations matching this label selector.") var selector: String?
        @Flag(help: "Only the default location.") var `default` = false

        func run() async throws {
            let api = try client.makeClient()
            var items: [Components.Schemas.BackupStorageLocation] = []
            if names.isEmpty {
                var token: String? = nil
                repeat {
                    let page = try await callAPI {
                        try await api.listBackupStorageLocations(query: .init(limit: 1000, _continue: token, labelSelector: selector)).ok.body.json
                    }
                    items += page.items
                    token = page._continue
                } while token != nil
            } else {
                for name in names { items.append(try await BackupLocationCommand.fetch(name, api)) }
            }
            if `default` { items = items.filter { $0.spec._default == true } }
            try printList(items, single: names.count == 1, format: format.output,
                          list: Components.Schemas.BackupStorageLocationList(items: items), table: Tables.locations)
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a backup storage location.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Location name.") var name: String
        @Option(help: "Make this the default location (true), or not (false).") var `default`: Bool?
        @OptionGroup var credential: StorageCredentialOptions
        @Option(help: "PEM CA bundle of the S3 endpoint.") var cacert: String?
        @Option(help: "ReadWrite or ReadOnly.") var accessMode: String?
        @Option(help: "Provider config to merge, key=value comma-separated.") var config: [String] = []

        func validate() throws {
            if let accessMode, Components.Schemas.BackupStorageLocationSpec.AccessModePayload(rawValue: accessMode) == nil {
                throw ValidationError("--access-mode must be ReadWrite or ReadOnly")
            }
        }

        /// Applies the flags to the current object; an absent credential keeps the stored one (the API's PUT rule).
        func apply(to current: Components.Schemas.BackupStorageLocation) throws -> Components.Schemas.BackupStorageLocation {
            var location = current
            location.status = nil
            if let value = `default` { location.spec._default = value }
            location.spec.credential = try credential.makeCredential()
            if let cacert { location.spec.objectStorage.caCert = Data(try readFile(cacert, what: "CA file").utf8).base64EncodedString() }
            if let accessMode { location.spec.accessMode = .init(rawValue: accessMode) }
            let configMap = try FlagParsing.keyValueMap(config, flag: "--config")
            if !configMap.isEmpty {
                var merged = location.spec.config?.additionalProperties ?? [:]
                merged.merge(configMap) { _, new in new }
                location.spec.config = .init(additionalProperties: merged)
            }
            return location
        }

        func run() async throws {
            let api = try client.makeClient()
            let updated = try apply(to: try await BackupLocationCommand.fetch(name, api))
            let location = try await callAPI {
                try await api.replaceBackupStorageLocation(path: .init(name: name), body: .json(updated)).ok.body.json
            }
            if let document = try Rendering.document(location, format: format.output) { print(document); return }
            print("Backup storage location \"\(name)\" configured successfully.")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete backup storage locations; the bucket is left alone.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Location names.") var names: [String]
        @Flag(help: "Accepted for Velero compatibility; lifeboat never prompts.") var confirm = false

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.deleteBackupStorageLocation(path: .init(name: name)).noContent }
                print("Backup storage location \"\(name)\" deleted successfully.")
            }
        }
    }

    static func fetch(_ name: String, _ api: Client) async throws -> Components.Schemas.BackupStorageLocation {
        try await callAPI { try await api.getBackupStorageLocation(path: .init(name: name)).ok.body.json }
    }
}

import ArgumentParser
import Foundation
import LifeboatAPI
import OpenAPIRuntime

/// `lifeboat cluster …`: the Kubernetes clusters the server backs up and restores into.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Work with clusters.",
        subcommands: [Add.self, Get.self, Describe.self, Delete.self], aliases: ["clusters"])
}

extension ClusterCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a cluster from a kubeconfig, or from an API server URL and a token.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Cluster name (DNS-1123 label).") var name: String
        @Option(help: "Kubeconfig file; its content is sent once and stored encrypted.") var kubeconfig: String?
        @Option(help: "Kubeconfig context; default its current-context.") var context: String?
        @Option(help: "Kubernetes API server URL (instead of --kubeconfig).") var apiServer: String?
        @Option(help: "File holding the bearer token for --api-server.") var tokenFile: String?
        @Option(help: "PEM CA bundle of --api-server.") var certificateAuthority: String?
        @Flag(help: "Do not verify the API server's certificate.") var insecureSkipTlsVerify = false
        @Option(help: "Labels on the cluster, key=value comma-separated.") var labels: [String] = []
        @Flag(name: [.customShort("w"), .long], help: "Wait until the first reachability check finishes.") var wait = false

        func validate() throws {
            if (kubeconfig == nil) == (apiServer == nil) {
                throw ValidationError("give either --kubeconfig or --api-server")
            }
            if kubeconfig != nil && (tokenFile != nil || certificateAuthority != nil) {
                throw ValidationError("--token-file and --certificate-authority go with --api-server, not --kubeconfig")
            }
            if context != nil && kubeconfig == nil {
                throw ValidationError("--context needs --kubeconfig")
            }
        }

        /// The request body: file contents read here, so the server never needs the client's file system.
        func makeCluster() throws -> Components.Schemas.Cluster {
            var spec = Components.Schemas.ClusterSpec()
            if let kubeconfig {
                spec.kubeconfig = try readFile(kubeconfig, what: "kubeconfig")
                spec.context = context
            } else {
                spec.server = apiServer
                if let tokenFile { spec.token = try readFile(tokenFile, what: "token file").trimmingWhitespace() }
                if let certificateAuthority { spec.certificateAuthorityData = try readFile(certificateAuthority, what: "CA file") }
            }
            if insecureSkipTlsVerify { spec.insecureSkipTLSVerify = true }
            let labels = try FlagParsing.keyValueMap(labels, flag: "--labels")
            return Components.Schemas.Cluster(metadata: .named(name, labels: labels), spec: spec)
        }

        func run() async throws {
            let api = try client.makeClient()
            let body = try makeCluster()
            var cluster = try await callAPI { try await api.createCluster(body: .json(body)).created.body.json }
            if wait {
                cluster = try await Waiting.until({ try await ClusterCommand.fetch(name, api) }, isDone: {
                    $0.status?.phase == .ready || $0.status?.phase == .unreachable
                })
            }
            if let document = try Rendering.document(cluster, format: format.output) { print(document); return }
            print("Cluster \"\(name)\" added" + (wait ? ": \(cluster.status?.phase?.rawValue ?? "")." : "; a check job will set its phase."))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List clusters, or get the named ones.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Cluster names; none lists all.") var names: [String] = []
        @Option(name: [.customShort("l"), .long], help: "Only clusters matching this label selector.") var selector: String?

        func run() async throws {
            let api = try client.makeClient()
            var items: [Components.Schemas.Cluster] = []
            if names.isEmpty {
                var token: String? = nil
                repeat {
                    let page = try await callAPI {
                        try await api.listClusters(query: .init(limit: 1000, _continue: token, labelSelector: selector)).ok.body.json
                    }
                    items += page.items
                    token = page._continue
                } while token != nil
            } else {
                for name in names { items.append(try await ClusterCommand.fetch(name, api)) }
            }
            try printList(items, single: names.count == 1, format: format.output, list: Components.Schemas.ClusterList(items: items), table: Tables.clusters)
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a cluster's details.")
        @OptionGroup var client: ClientOptions
        @OptionGroup var format: OutputOptions
        @Argument(help: "Cluster name.") var name: String

        func run() async throws {
            let cluster = try await ClusterCommand.fetch(name, try client.makeClient())
            if let document = try Rendering.document(cluster, format: format.output) { print(document); return }
            print(Describing.cluster(cluster))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unregister clusters; their backups are kept.")
        @OptionGroup var client: ClientOptions
        @Argument(help: "Cluster names.") var names: [String]
        @Flag(help: "Accepted for Velero compatibility; lifeboat never prompts.") var confirm = false

        func run() async throws {
            let api = try client.makeClient()
            for name in names {
                _ = try await callAPI { try await api.deleteCluster(path: .init(name: name)).noContent }
                print("Cluster deleted: \(name)")
            }
        }
    }

    static func fetch(_ name: String, _ api: Client) async throws -> Components.Schemas.Cluster {
        try await callAPI { try await api.getCluster(path: .init(name: name)).ok.body.json }
    }
}

/// Reads a whole small file as UTF-8, naming it (never its content) in the error.
func readFile(_ path: String, what: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw CLIError("cannot read \(what) \(path)")
    }
}

import Foundation
import Yams

/// The subset of a kubeconfig file (client-go `clientcmd/api/v1`) that Lifeboat understands.
///
/// Field names follow the file format exactly, so a user's `~/.kube/config` decodes unchanged. Secret
/// material stays inside this value and the `ClusterConnection` made from it; neither type is
/// `CustomStringConvertible`-printed anywhere, and errors about it name fields, never values.
public struct KubeConfig: Decodable, Sendable {
    public struct NamedCluster: Decodable, Sendable {
        public var name: String
        public var cluster: Cluster
    }

    public struct Cluster: Decodable, Sendable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        public var tlsServerName: String?
        public var proxyURL: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
        }
    }

    public struct NamedContext: Decodable, Sendable {
        public var name: String
        public var context: Context
    }

    public struct Context: Decodable, Sendable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
    }

    public struct NamedUser: Decodable, Sendable {
        public var name: String
        public var user: User
    }

    public struct User: Decodable, Sendable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var exec: ExecConfig?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }

    /// An exec credential plugin (`client.authentication.k8s.io/v1`).
    public struct ExecConfig: Decodable, Sendable {
        public struct EnvVar: Decodable, Sendable {
            public var name: String
            public var value: String

            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        public var apiVersion: String?
        public var command: String
        public var args: [String]?
        public var env: [EnvVar]?
        public var interactiveMode: String?
        public var installHint: String?

        public init(apiVersion: String? = "client.authentication.k8s.io/v1", command: String, args: [String]? = nil, env: [EnvVar]? = nil) {
            self.apiVersion = apiVersion
            self.command = command
            self.args = args
            self.env = env
        }
    }

    public var currentContext: String?
    public var clusters: [NamedCluster]
    public var contexts: [NamedContext]
    public var users: [NamedUser]
    /// The directory of the file this kubeconfig was read from: relative paths in it resolve against it, as in
    /// client-go. Nil for kubeconfig content that came without a file.
    public var baseDirectory: String?

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case clusters, contexts, users
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        currentContext = try container.decodeIfPresent(String.self, forKey: .currentContext)
        clusters = try container.decodeIfPresent([NamedCluster].self, forKey: .clusters) ?? []
        contexts = try container.decodeIfPresent([NamedContext].self, forKey: .contexts) ?? []
        users = try container.decodeIfPresent([NamedUser].self, forKey: .users) ?? []
    }

    /// Reads and parses a kubeconfig file; relative paths inside it are taken relative to its directory.
    public init(contentsOfFile path: String) throws(KubeConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableFile(field: "kubeconfig") }
        try self.init(yaml: String(decoding: data, as: UTF8.self))
        baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// Parses kubeconfig YAML (or JSON, which is YAML).
    ///
    /// Decoding errors are reported by field path only: the YAML parser's own messages can quote the
    /// offending line, and that line may hold a token.
    public init(yaml: String) throws(KubeConfigError) {
        do {
            self = try YAMLDecoder().decode(KubeConfig.self, from: yaml)
        } catch let error as DecodingError {
            throw .malformed(reason: Self.describe(error))
        } catch {
            throw .malformed(reason: "not a YAML document")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "invalid value at \(path(context.codingPath).isEmpty ? "document root" : path(context.codingPath))"
        @unknown default: return "invalid document"
        }
    }
}

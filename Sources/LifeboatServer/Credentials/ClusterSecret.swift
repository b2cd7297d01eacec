import Foundation
import LifeboatCore
import LifeboatKube

/// The write-only part of a cluster: a kubeconfig's content or a bearer token. Sealed at rest.
struct ClusterSecret: Codable, Sendable {
    var kubeconfig: String?
    var token: String?

    init(kubeconfig: String? = nil, token: String? = nil) {
        self.kubeconfig = kubeconfig
        self.token = token
    }

    /// How to reach the cluster. Kubeconfigs that came through the API may not name local files or programs.
    func connection(for spec: ClusterSpec) throws -> ClusterConnection {
        switch spec.source {
        case .kubeconfig:
            do {
                let config = try KubeConfig(yaml: kubeconfig ?? "")
                var connection = try ClusterConnection(kubeconfig: config, context: spec.context, allowLocalReferences: false)
                if spec.insecureSkipTLSVerify == true {
                    connection.insecureSkipTLSVerify = true
                    connection.certificateAuthorityPEM = nil
                }
                return connection
            } catch {
                throw LifeboatError.invalidArgument(field: "spec.kubeconfig", reason: error.description)
            }
        case .token:
            guard let server = spec.server, let url = URL(string: server) else {
                throw LifeboatError.invalidArgument(field: "spec.server", reason: "is not a URL")
            }
            return ClusterConnection(
                server: url, certificateAuthorityPEM: spec.caBundle.map { Array($0.utf8) },
                insecureSkipTLSVerify: spec.insecureSkipTLSVerify ?? false, bearerToken: token)
        }
    }
}

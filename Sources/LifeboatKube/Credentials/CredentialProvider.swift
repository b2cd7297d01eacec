import Foundation

/// Where a client's bearer token comes from, and when to fetch it again.
///
/// Static tokens never change. Token files (the in-cluster service-account token is projected and rotates)
/// are re-read every minute, like client-go. Exec plugins run on first use and again when their credential
/// expires or the server answers 401.
actor CredentialProvider {
    enum Source: Sendable {
        case none
        case token(String)
        case tokenFile(path: String, fallback: String?)
        case exec(ExecCredentialPlugin)
    }

    private let source: Source
    private var cachedToken: String?
    private var validUntil: Date?
    /// One plugin run shared by every request that needs a credential at the same moment.
    private var pluginRun: Task<ExecCredentialPlugin.Credential, any Error>?

    init(source: Source) {
        self.source = source
        if case .tokenFile(_, let fallback) = source { cachedToken = fallback; validUntil = fallback == nil ? nil : Date() }
    }

    /// True when a 401 may be cured by fetching the credential again.
    nonisolated var canRefresh: Bool {
        switch source {
        case .none, .token: false
        case .tokenFile, .exec: true
        }
    }

    /// The `Authorization` header value, or nil when the connection authenticates otherwise.
    func authorization() async throws -> String? {
        switch source {
        case .none: return nil
        case .token(let token): return "Bearer \(token)"
        case .tokenFile(let path, _):
            if let cachedToken, let validUntil, validUntil > Date() { return "Bearer \(cachedToken)" }
            guard let contents = FileManager.default.contents(atPath: path),
                let text = String(data: contents, encoding: .utf8)
            else {
                if let cachedToken { return "Bearer \(cachedToken)" }  // keep the last good one
                throw KubernetesError.credentials("the token file cannot be read")
            }
            cachedToken = text.trimmingCharacters(in: .whitespacesAndNewlines)
            validUntil = Date().addingTimeInterval(60)
            return "Bearer \(cachedToken!)"
        case .exec(let plugin):
            // Refresh a little before expiry so a request does not leave with a token that dies on the way.
            if let cachedToken, validUntil.map({ $0.addingTimeInterval(-10) > Date() }) ?? true {
                return "Bearer \(cachedToken)"
            }
            let run = pluginRun ?? Task { try await plugin.run() }
            pluginRun = run
            let credential: ExecCredentialPlugin.Credential
            do {
                credential = try await run.value
                pluginRun = nil
            } catch {
                pluginRun = nil
                throw error
            }
            guard let token = credential.token else {
                throw KubernetesError.credentials(
                    "exec plugin \(plugin.config.command) returned a client certificate; only token-issuing plugins are supported")
            }
            cachedToken = token
            validUntil = credential.expiration
            return "Bearer \(token)"
        }
    }

    /// Forgets the cached credential after a 401 so the next request fetches a new one.
    func invalidate() {
        switch source {
        case .none, .token: break
        case .tokenFile, .exec: validUntil = .distantPast
        }
        if case .exec = source { cachedToken = nil }
    }
}

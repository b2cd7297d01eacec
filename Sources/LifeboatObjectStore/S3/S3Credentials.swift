import Foundation

/// An access key pair (and session token) plus a description of where it came from.
///
/// `source` is what errors and logs show ("profile default in /etc/velero/credentials"); the secret
/// never appears in any description of this type.
public struct S3Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Human-readable origin of these keys, safe to log.
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    public var description: String { "S3Credentials(from \(source))" }
    public var debugDescription: String { description }
}

/// Where S3 credentials come from; loaded when the store is created.
public enum S3CredentialSource: Sendable, Hashable {
    /// Keys given directly; their `source` names them in errors (e.g. "static keys of location default").
    case staticKeys(S3Credentials)
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from this environment.
    case environment([String: String])
    /// An AWS shared-credentials file (Velero's `credentials-velero`), one profile of it.
    case sharedCredentialsFile(path: String, profile: String)
    /// The content of an AWS shared-credentials file held in memory (a location's sealed credential), one
    /// profile of it; `source` names it in errors, e.g. "credentials of location default".
    case sharedCredentials(contents: String, profile: String, source: String)

    /// Reads the credentials; fails with `credentialsUnavailable` naming the source, never a value.
    public func load() throws -> S3Credentials {
        switch self {
        case .staticKeys(let credentials):
            guard !credentials.accessKeyID.isEmpty, !credentials.secretAccessKey.isEmpty else {
                throw ObjectStoreError.credentialsUnavailable(source: credentials.source, reason: "the access key or secret is empty")
            }
            return credentials
        case .environment(let environment):
            let source = "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
            guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
                let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
            else { throw ObjectStoreError.credentialsUnavailable(source: source, reason: "the variables are not set") }
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token, source: source)
        case .sharedCredentials(let contents, let profile, let source):
            return try Self.credentials(inProfiles: contents, profile: profile, source: "profile \(profile) of \(source)")
        case .sharedCredentialsFile(let path, let profile):
            let source = "profile \(profile) in \(path)"
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ObjectStoreError.credentialsUnavailable(source: source, reason: "the file cannot be read")
            }
            return try Self.credentials(inProfiles: text, profile: profile, source: source)
        }
    }

    /// The keys of `profile` in shared-credentials text.
    static func credentials(inProfiles text: String, profile: String, source: String) throws -> S3Credentials {
        guard let values = Self.parseProfiles(text)[profile] else {
            throw ObjectStoreError.credentialsUnavailable(source: source, reason: "the profile is not in the file")
        }
        guard let id = values["aws_access_key_id"], !id.isEmpty, let secret = values["aws_secret_access_key"], !secret.isEmpty else {
            throw ObjectStoreError.credentialsUnavailable(
                source: source, reason: "aws_access_key_id or aws_secret_access_key is missing")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"], source: source)
    }

    /// INI sections to lowercased keys; `[name]` (credentials file) and `[profile name]` (config file) both name a profile.
    static func parseProfiles(_ text: String) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = name.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces) }
                current = name
                profiles[name, default: [:]] = profiles[name, default: [:]]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            profiles[current, default: [:]][key] = value
        }
        return profiles
    }
}

/// An AWS shared-credentials file (`[default]` / `aws_access_key_id = …`), as Velero's `--secret-file` takes it.
///
/// The CLI checks the file before sending it, so a wrong path or profile fails here with a clear message
/// instead of as an Unavailable location later. The whole content goes to the server, which stores it
/// encrypted; the CLI never prints any of it.
struct AWSCredentialsFile: Equatable {
    /// Profile name → its keys.
    let profiles: [String: [String: String]]

    init(parsing text: String) throws {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw CLIError("credentials file line \(index + 1): bad section header") }
                var name = line.dropFirst().dropLast().trimmingWhitespace()
                if name.hasPrefix("profile ") { name = name.dropFirst("profile ".count).trimmingWhitespace() }
                current = name
                profiles[name, default: [:]] = profiles[name] ?? [:]
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw CLIError("credentials file line \(index + 1): expected key = value")
            }
            guard let profile = current else { throw CLIError("credentials file line \(index + 1): key outside a [profile] section") }
            let key = line[..<equals].trimmingWhitespace()
            profiles[profile]?[key] = line[line.index(after: equals)...].trimmingWhitespace()
        }
        self.profiles = profiles
    }

    /// Checks that `profile` exists and has both keys S3 needs.
    func validate(profile: String) throws {
        guard let keys = profiles[profile] else {
            throw CLIError("credentials file has no [\(profile)] profile")
        }
        for key in ["aws_access_key_id", "aws_secret_access_key"] where (keys[key] ?? "").isEmpty {
            throw CLIError("credentials file profile [\(profile)] has no \(key)")
        }
    }
}

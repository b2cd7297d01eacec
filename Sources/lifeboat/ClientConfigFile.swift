import Foundation
import Yams

/// The CLI's own settings file: `server` and `token`, so they need not be typed on every command.
///
/// It lives at `$LIFEBOAT_CONFIG` or `~/.config/lifeboat/config.yaml` and is written with mode 0600 because it
/// holds a bearer token. Unknown keys are rejected on `set`, so a typo does not silently do nothing.
struct ClientConfigFile: Equatable {
    /// Keys `lifeboat config set` accepts.
    static let knownKeys = ["server", "token"]

    var server: String?
    var token: String?

    /// Where the file is, given the process environment (passed in so tests need no `setenv`).
    static func path(environment: [String: String]) -> String {
        if let explicit = environment["LIFEBOAT_CONFIG"], !explicit.isEmpty { return explicit }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/lifeboat/config.yaml"
    }

    /// Reads the file; a missing file is an empty configuration.
    static func load(from path: String) throws -> ClientConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return ClientConfigFile() }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let node = try Yams.compose(yaml: text), let mapping = node.mapping else {
            return ClientConfigFile()
        }
        var file = ClientConfigFile()
        for (key, value) in mapping {
            switch key.string {
            case "server": file.server = value.string
            case "token": file.token = value.string
            default: continue  // written by a newer CLI; keep reading what we understand
            }
        }
        return file
    }

    /// Applies `key=value` assignments, as given to `lifeboat config set`.
    mutating func apply(assignments: [String]) throws {
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw CLIError("expected key=value, got '\(assignment)'")
            }
            let key = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...])
            switch key {
            case "server": server = value.isEmpty ? nil : value
            case "token": token = value.isEmpty ? nil : value
            default: throw CLIError("unknown config key '\(key)'; known keys: \(Self.knownKeys.joined(separator: ", "))")
            }
        }
    }

    /// Writes the file with mode 0600, creating its directory (0700) when needed.
    func save(to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var mapping: [String: String] = [:]
        if let server { mapping["server"] = server }
        if let token { mapping["token"] = token }
        let text = try Yams.dump(object: mapping, sortKeys: true)
        // Create empty with 0600 first, so the token is never readable by others, not even briefly.
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CLIError("cannot create \(path)")
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

import Foundation
import Testing
@testable import KubeSim

/// The shared manifest corpus (`../shared/corpus` next to the package), parsed once per use.
enum Corpus {
    struct Document {
        var file: String
        var object: JSONValue
        var kind: String { object["kind"]?.stringValue ?? "" }
        var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }
        var name: String { object.value(at: ["metadata", "name"])?.stringValue ?? "" }
        var namespace: String? { object.value(at: ["metadata", "namespace"])?.stringValue }
    }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }

    static func load() throws -> [Document] {
        let root = directory
        guard FileManager.default.fileExists(atPath: root.path) else {
            Issue.record("manifest corpus missing at \(root.path)")
            return []
        }
        var documents: [Document] = []
        let apps = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        for app in apps {
            let appDir = root.appendingPathComponent(app)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: appDir.path, isDirectory: &isDir), isDir.boolValue else { continue }
            for file in try FileManager.default.contentsOfDirectory(atPath: appDir.path).sorted() where file.hasSuffix(".yaml") {
                let text = try String(contentsOf: appDir.appendingPathComponent(file), encoding: .utf8)
                for object in try YAMLDocuments.parseAll(text) {
                    documents.append(Document(file: "\(app)/\(file)", object: object))
                }
            }
        }
        return documents
    }

    /// Whether every field the manifest sets is present with the same value in the live object
    /// (servers add defaults; numbers compare by value; nulls mean "unset").
    static func contains(_ live: JSONValue?, _ manifest: JSONValue, path: String = "") -> String? {
        switch manifest {
        case .null:
            return nil
        case .object(let fields):
            guard case .object(let liveFields)? = live else { return "\(path): expected an object" }
            for (key, value) in fields {
                if let problem = contains(liveFields[key], value, path: "\(path).\(key)") { return problem }
            }
            return nil
        case .array(let items):
            guard case .array(let liveItems)? = live, liveItems.count == items.count else { return "\(path): list differs" }
            for (index, item) in items.enumerated() {
                if let problem = contains(liveItems[index], item, path: "\(path)[\(index)]") { return problem }
            }
            return nil
        case .number(let n):
            guard case .number(let m)? = live, Double(n) == Double(m) else { return "\(path): \(n) != \(String(describing: live))" }
            return nil
        default:
            return live == manifest ? nil : "\(path): \(manifest) != \(String(describing: live))"
        }
    }
}

import Foundation
import LifeboatArchive
import LifeboatKube
import LifeboatObjectStore
import NIOCore

/// Which kind of Velero backup a fixture imitates (`velero-reference.md` §2.2, "Format versioning").
enum VeleroFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Format 1.1.0 as Velero 1.4+ writes it: every item under `<ver>-preferredversion/` and unversioned. The
    /// tarball also has directory entries, which Velero never writes but its extractor accepts (§2.1), as a
    /// tarball repacked with `tar` has them.
    case preferredVersionCopies
    /// Format 1.1.0 with the unversioned copies only: the minimal restorable tarball (`pkg/test/tar_writer.go`).
    case plainPathsOnly
    /// Format 1 (Velero before 1.4): `metadata/version` is `1`, no version directories, and the Backup
    /// object has `status.version` but no `status.formatVersion`.
    case formatOne

    var description: String { rawValue }

    /// The content of `metadata/version`.
    var versionFile: String { self == .formatOne ? "1\n" : "1.1.0\n" }
    /// `status.formatVersion` of the Backup object; format 1 predates the field.
    var formatVersion: String? { self == .formatOne ? nil : "1.1.0" }
}

/// One object of a Velero backup: the live object as the API server returned it, and where Velero files it.
struct VeleroItem: Sendable {
    /// Velero's `<gr>` directory: `schema.GroupResource.String()` (`deployments.apps`, `configmaps`).
    var resource: String
    /// The preferred version, the `<ver>` of `<ver>-preferredversion`.
    var version: String
    var object: LifeboatKube.JSONValue

    var name: String { object["metadata"]?["name"]?.stringValue ?? "" }
    var namespace: String? { object["metadata"]?["namespace"]?.stringValue }
    var kind: String { object["kind"]?.stringValue ?? "" }
    var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }

    /// The entry body: Go's `json.Marshal` of the unstructured content (§2.3).
    var json: [UInt8] { VeleroFixtures.goJSON(object) }

    /// `resources/<gr>/[<ver>-preferredversion/]{cluster|namespaces/<ns>}/<name>.json`.
    func entryName(preferredVersion: Bool) -> String {
        var path = "resources/\(resource)/"
        if preferredVersion { path += "\(version)-preferredversion/" }
        if let namespace {
            path += "namespaces/\(namespace)/\(name).json"
        } else {
            path += "cluster/\(name).json"
        }
        return path
    }
}

/// A backup as Velero writes it to `backups/<B>/` (`velero-reference.md` §1.2, §2, §3.1), built by hand so that
/// restores are tested against Velero's rules rather than against `BackupArchiveWriter`: a tar encoded here
/// (USTAR, mode 0755, no owner, `metadata/version` first), gzipped, a pretty-printed `velero-backup.json` without
/// `lifeboat.io/artifacts`, and the logrus log.
struct VeleroBackupFixture: Sendable {
    /// One tar entry; `body == nil` is a directory.
    struct Entry: Sendable {
        var name: String
        var body: [UInt8]?
    }

    var name: String
    var format: VeleroFormat
    var items: [VeleroItem]
    /// Entries appended after the items (hostile names, for the negative tests).
    var extraEntries: [Entry] = []
    /// `ModTime` of every entry (Velero stamps `time.Now()`).
    var modificationTime: Int64 = 1_778_378_402

    init(name: String = VeleroFixtures.backupName, format: VeleroFormat, items: [VeleroItem] = VeleroFixtures.items) {
        self.name = name
        self.format = format
        self.items = items
    }

    /// The tar entries in Velero's order: `metadata/version`, then per item the versioned copy before the
    /// unversioned one, as `backupItemInternal` writes them.
    var entries: [Entry] {
        var files: [Entry] = [Entry(name: "metadata/version", body: Array(format.versionFile.utf8))]
        for item in items {
            if format == .preferredVersionCopies {
                files.append(Entry(name: item.entryName(preferredVersion: true), body: item.json))
            }
            files.append(Entry(name: item.entryName(preferredVersion: false), body: item.json))
        }
        files += extraEntries
        guard format == .preferredVersionCopies else { return files }
        // Each directory once, just before the first entry inside it, as `tar -c` lists them.
        var seen: Set<String> = []
        var withDirectories: [Entry] = []
        for file in files {
            let parts = file.name.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            var directory = ""
            for part in parts where !part.isEmpty && part != ".." {
                directory += part + "/"
                if seen.insert(directory).inserted { withDirectories.append(Entry(name: directory, body: nil)) }
            }
            withDirectories.append(file)
        }
        return withDirectories
    }

    /// The uncompressed tar stream.
    func tarball() -> [UInt8] {
        var tar = VeleroTarEncoder(modificationTime: modificationTime)
        for entry in entries {
            if let body = entry.body {
                tar.file(entry.name, body)
            } else {
                tar.directory(entry.name)
            }
        }
        return tar.finish()
    }

    /// `velero-backup.json`: the Backup object through Kubernetes' pretty JSON serializer (struct field order,
    /// two-space indent), as `persistBackup` uploads it. No Lifeboat annotation, so no recorded digests.
    var backupDocument: String {
        let formatVersion = format.formatVersion.map { "\n    \"formatVersion\": \"\($0)\"," } ?? ""
        let progress = "\"progress\": {\n      \"totalItems\": \(items.count),\n      \"itemsBackedUp\": \(items.count)\n    },"
        if format == .formatOne {
            return #"""
                {
                  "kind": "Backup",
                  "apiVersion": "velero.io/v1",
                  "metadata": {
                    "name": "\#(name)",
                    "namespace": "velero",
                    "selfLink": "/apis/velero.io/v1/namespaces/velero/backups/\#(name)",
                    "uid": "5d0b7a55-3f0e-4a53-9e61-0c1f3c8e7a21",
                    "resourceVersion": "81723",
                    "generation": 4,
                    "creationTimestamp": "2026-05-10T02:00:00Z",
                    "labels": {
                      "velero.io/schedule-name": "nightly",
                      "velero.io/storage-location": "default"
                    }
                  },
                  "spec": {
                    "includedNamespaces": [
                      "*"
                    ],
                    "excludedNamespaces": null,
                    "includedResources": null,
                    "excludedResources": null,
                    "labelSelector": null,
                    "ttl": "720h0m0s",
                    "hooks": {
                      "resources": null
                    },
                    "storageLocation": "default",
                    "volumeSnapshotLocations": [
                      "default"
                    ]
                  },
                  "status": {
                    "version": 1,
                    "expiration": "2026-06-09T02:00:00Z",
                    "phase": "Completed",
                    "validationErrors": null,
                    "startTimestamp": "2026-05-10T02:00:00Z",
                    "completionTimestamp": "2026-05-10T02:00:03Z",
                    "volumeSnapshotsAttempted": 0,
                    "volumeSnapshotsCompleted": 0
                  }
                }
                """#
        }
        return #"""
            {
              "kind": "Backup",
              "apiVersion": "velero.io/v1",
              "metadata": {
                "name": "\#(name)",
                "namespace": "velero",
                "uid": "5d0b7a55-3f0e-4a53-9e61-0c1f3c8e7a21",
                "resourceVersion": "81723",
                "generation": 6,
                "creationTimestamp": "2026-05-10T02:00:00Z",
                "labels": {
                  "velero.io/schedule-name": "nightly",
                  "velero.io/storage-location": "default"
                },
                "annotations": {
                  "velero.io/resource-timeout": "10m0s",
                  "velero.io/source-cluster-k8s-gitversion": "v1.33.1",
                  "velero.io/source-cluster-k8s-major-version": "1",
                  "velero.io/source-cluster-k8s-minor-version": "33"
                },
                "managedFields": [
                  {
                    "manager": "velero-server",
                    "operation": "Update",
                    "apiVersion": "velero.io/v1",
                    "time": "2026-05-10T02:00:03Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                      "f:status": {
                        ".": {},
                        "f:phase": {}
                      }
                    }
                  }
                ]
              },
              "spec": {
                "metadata": {},
                "includedNamespaces": [
                  "*"
                ],
                "ttl": "720h0m0s",
                "hooks": {},
                "storageLocation": "default",
                "volumeSnapshotLocations": [
                  "default"
                ],
                "defaultVolumesToFsBackup": false,
                "csiSnapshotTimeout": "10m0s",
                "itemOperationTimeout": "4h0m0s",
                "snapshotMoveData": false
              },
              "status": {
                "version": 1,\#(formatVersion)
                "expiration": "2026-06-09T02:00:00Z",
                "phase": "Completed",
                "startTimestamp": "2026-05-10T02:00:00Z",
                "completionTimestamp": "2026-05-10T02:00:03Z",
                \#(progress)
                "hookStatus": {}
              }
            }
            """#
    }

    /// `<B>-logs.gz` content: logrus text lines.
    var log: String {
        func line(_ time: String, _ message: String, _ source: String, _ fields: String = "") -> String {
            #"time="2026-05-10T02:00:\#(time)Z" level=info msg="\#(message)" backup=velero/\#(name) logSource="\#(source)""# + fields
        }
        var lines = [
            line("00", "Setting up backup temp file", "pkg/controller/backup_controller.go:663"),
            line("00", "Setting up plugin manager", "pkg/controller/backup_controller.go:670"),
            line("00", "Writing backup version file", "pkg/backup/backup.go:307"),
            line("00", "Including namespaces: *", "pkg/backup/backup.go:313"),
        ]
        for item in items {
            lines.append(line("01", "Backing up item", "pkg/backup/item_backupper.go:179",
                              " name=\(item.name) namespace=\(item.namespace ?? "") resource=\(item.resource)"))
        }
        lines.append(line("03", "Backed up a total of \(items.count) items", "pkg/backup/backup.go:498", " progress="))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `<B>-resource-list.json.gz` content (Velero 1.11+ writes it beside format 1.1.0 tarballs).
    var resourceList: String {
        var entries: [String: [String]] = [:]
        for item in items {
            entries["\(item.apiVersion)/\(item.kind)", default: []].append(item.namespace.map { "\($0)/\(item.name)" } ?? item.name)
        }
        let object = LifeboatKube.JSONValue.object(entries.mapValues { .array($0.sorted().map { .string($0) }) })
        return String(decoding: VeleroFixtures.goJSON(object), as: UTF8.self) + "\n"
    }

    /// Uploads the backup's files under `backups/<B>/` in Velero's order: log, metadata, tarball, the rest.
    func write(to store: some ObjectStore, layout: StorageLayout) async throws {
        let keys = try layout.backup(name)
        _ = try await store.put(key: keys.logs, bytes: ByteBuffer(bytes: try GzipCompressor.compress(Array(log.utf8))))
        _ = try await store.put(key: keys.metadata, bytes: ByteBuffer(string: backupDocument))
        _ = try await store.put(key: keys.contents, bytes: ByteBuffer(bytes: try GzipCompressor.compress(tarball())))
        guard format != .formatOne else { return }
        _ = try await store.put(key: keys.resourceList, bytes: ByteBuffer(bytes: try GzipCompressor.compress(Array(resourceList.utf8))))
        let results = #"{"errors":{},"warnings":{}}"# + "\n"
        _ = try await store.put(key: keys.results, bytes: ByteBuffer(bytes: try GzipCompressor.compress(Array(results.utf8))))
    }
}

/// A tar writer with Go `archive/tar`'s USTAR output (the headers `tar.Writer` writes for Velero's entries), and
/// none of our reader's or writer's checks: fixtures may name anything, hostile names included.
struct VeleroTarEncoder {
    let modificationTime: Int64
    private var output: [UInt8] = []

    init(modificationTime: Int64) {
        self.modificationTime = modificationTime
    }

    /// A regular file (`TypeReg`), mode 0755.
    mutating func file(_ name: String, _ body: [UInt8]) {
        header(name, size: body.count, typeFlag: UInt8(ascii: "0"))
        output += body
        output += [UInt8](repeating: 0, count: (512 - body.count % 512) % 512)
    }

    /// A directory (`TypeDir`); `name` ends with `/`.
    mutating func directory(_ name: String) {
        header(name, size: 0, typeFlag: UInt8(ascii: "5"))
    }

    /// The stream with its two zero blocks.
    mutating func finish() -> [UInt8] {
        output += [UInt8](repeating: 0, count: 1024)
        return output
    }

    private mutating func header(_ name: String, size: Int, typeFlag: UInt8) {
        var block = [UInt8](repeating: 0, count: 512)
        let (prefix, base) = Self.split(Array(name.utf8))
        precondition(base.count <= 100 && prefix.count <= 155, "fixture names fit USTAR: \(name)")
        func put(_ bytes: [UInt8], at offset: Int) {
            for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
        }
        // Go's formatOctal: zero-padded digits filling the field but its last byte, which stays NUL.
        func octal(_ value: Int, at offset: Int, length: Int) {
            let digits = String(value, radix: 8)
            put(Array((String(repeating: "0", count: length - 1 - digits.count) + digits).utf8), at: offset)
        }
        put(base, at: 0)
        octal(0o755, at: 100, length: 8)
        octal(0, at: 108, length: 8)  // uid
        octal(0, at: 116, length: 8)  // gid
        octal(size, at: 124, length: 12)
        octal(Int(modificationTime), at: 136, length: 12)
        put(Array(repeating: UInt8(ascii: " "), count: 8), at: 148)
        block[156] = typeFlag
        put(Array("ustar\u{0}00".utf8), at: 257)
        octal(0, at: 329, length: 8)  // devmajor
        octal(0, at: 337, length: 8)  // devminor
        put(prefix, at: 345)
        let checksum = block.reduce(0) { $0 + Int($1) }
        octal(checksum, at: 148, length: 7)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        output += block
    }

    /// Go's `splitUSTARPath`: names over 100 bytes are cut at the last `/` within the first 156 bytes.
    static func split(_ name: [UInt8]) -> (prefix: [UInt8], name: [UInt8]) {
        guard name.count > 100 else { return ([], name) }
        var length = min(name.count, 156)
        if length == name.count, name[length - 1] == UInt8(ascii: "/") { length -= 1 }
        guard let slash = name[..<length].lastIndex(of: UInt8(ascii: "/")), slash > 0 else { return ([], name) }
        return (Array(name[..<slash]), Array(name[(slash + 1)...]))
    }
}

/// The objects of one small application as the API server returned them, and Go's JSON encoding.
enum VeleroFixtures {
    static let backupName = "nightly-20260510020000"

    /// Go `json.Marshal` of unstructured content: compact, keys sorted bytewise, `<`, `>`, `&`, U+2028 and U+2029
    /// escaped as `\u003c`…, `/` not escaped, no trailing newline.
    static func goJSON(_ value: LifeboatKube.JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    private static func write(_ value: LifeboatKube.JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .int(let number): out += Array(String(number).utf8)
        case .double(let number): out += Array("\(number)".utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(members[key] ?? .null, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += Array(#"\""#.utf8)
            case "\\": out += Array(#"\\"#.utf8)
            case "\n": out += Array(#"\n"#.utf8)
            case "\r": out += Array(#"\r"#.utf8)
            case "\t": out += Array(#"\t"#.utf8)
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                let code = Int(scalar.value)
                out += Array(#"\u"#.utf8) + [hex[code >> 12 & 15], hex[code >> 8 & 15], hex[code >> 4 & 15], hex[code & 15]]
            default:
                if scalar.value < 0x20 {
                    out += Array(#"\u00"#.utf8) + [hex[Int(scalar.value) >> 4], hex[Int(scalar.value) & 15]]
                } else {
                    out += Array(String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// kubectl's `last-applied-configuration`: the applied object, compact, with a trailing newline.
    static func lastApplied(_ object: LifeboatKube.JSONValue) -> LifeboatKube.JSONValue {
        .string(String(decoding: goJSON(object), as: UTF8.self) + "\n")
    }

    static func managedField(_ manager: String, _ apiVersion: String, _ time: String, _ fields: LifeboatKube.JSONValue,
                             subresource: String? = nil) -> LifeboatKube.JSONValue {
        var entry: LifeboatKube.JSONValue = [
            "apiVersion": .string(apiVersion), "fieldsType": "FieldsV1", "fieldsV1": fields, "manager": .string(manager),
            "operation": "Update", "time": .string(time),
        ]
        if let subresource { entry["subresource"] = .string(subresource) }
        return entry
    }

    // MARK: - Items

    static let namespace = VeleroItem(resource: "namespaces", version: "v1", object: [
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": [
            "creationTimestamp": "2026-05-01T09:12:44Z",
            "labels": ["kubernetes.io/metadata.name": "shop", "team": "web"],
            "managedFields": [
                managedField("kubectl-create", "v1", "2026-05-01T09:12:44Z",
                             ["f:metadata": ["f:labels": [".": [:], "f:kubernetes.io/metadata.name": [:], "f:team": [:]]]]),
            ],
            "name": "shop", "resourceVersion": "1187", "uid": "0b8e4c2d-6a51-4f0e-9d7b-3c2a1e5f8d90",
        ],
        "spec": ["finalizers": ["kubernetes"]],
        "status": ["phase": "Active"],
    ])

    /// Data with characters Go escapes (`<`, `>`, `&`) and a multi-line value.
    static let settingsData: LifeboatKube.JSONValue = [
        "app.properties": "cache.size=512\nfeature.checkout=true\n",
        "banner": "<b>Spring sale</b> & free shipping > $50",
        "mode": "prod",
    ]

    static let settings = VeleroItem(resource: "configmaps", version: "v1", object: [
        "apiVersion": "v1", "kind": "ConfigMap",
        "data": settingsData,
        "metadata": [
            "annotations": [
                "kubectl.kubernetes.io/last-applied-configuration": lastApplied([
                    "apiVersion": "v1", "kind": "ConfigMap", "data": settingsData,
                    "metadata": ["annotations": [:], "labels": ["app": "shop"], "name": "settings", "namespace": "shop"],
                ]),
            ],
            "creationTimestamp": "2026-05-01T09:13:02Z",
            "labels": ["app": "shop"],
            "managedFields": [
                managedField("kubectl-client-side-apply", "v1", "2026-05-01T09:13:02Z", [
                    "f:data": [".": [:], "f:app.properties": [:], "f:banner": [:], "f:mode": [:]],
                    "f:metadata": [
                        "f:annotations": [".": [:], "f:kubectl.kubernetes.io/last-applied-configuration": [:]],
                        "f:labels": [".": [:], "f:app": [:]],
                    ],
                ]),
            ],
            "name": "settings", "namespace": "shop", "resourceVersion": "1215", "uid": "7f3d2a10-58c4-4b6e-a1d9-2e0c9b4f6a73",
        ],
    ])

    /// What the root-CA publisher puts in every namespace; the target cluster has its own, with another CA.
    static let rootCA = VeleroItem(resource: "configmaps", version: "v1", object: [
        "apiVersion": "v1", "kind": "ConfigMap",
        "data": [
            "ca.crt": """
                -----BEGIN CERTIFICATE-----
                MIIDBTCCAe2gAwIBAgIIQ2V0aWZpY2F0ZTANBgkqhkiG9w0BAQsFADAVMRMwEQYD
                VQQDEwprdWJlcm5ldGVzMB4XDTI2MDQwMTA5MDAwMFoXDTM2MDMzMDA5MDUwMFow
                -----END CERTIFICATE-----

                """,
        ],
        "metadata": [
            "annotations": [
                "kubernetes.io/description": .string(
                    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the "
                        + "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of "
                        + "Kubernetes clusters."),
            ],
            "creationTimestamp": "2026-05-01T09:12:44Z",
            "managedFields": [
                managedField("kube-controller-manager", "v1", "2026-05-01T09:12:44Z", [
                    "f:data": [".": [:], "f:ca.crt": [:]],
                    "f:metadata": ["f:annotations": [".": [:], "f:kubernetes.io/description": [:]]],
                ]),
            ],
            "name": "kube-root-ca.crt", "namespace": "shop", "resourceVersion": "1189", "uid": "c41e7b9a-0d2f-4e38-8a65-9f1b3d7c2e04",
        ],
    ])

    static let secretData: LifeboatKube.JSONValue = ["password": "aHVudGVyMg==", "username": "c2hvcA=="]

    static let creds = VeleroItem(resource: "secrets", version: "v1", object: [
        "apiVersion": "v1", "kind": "Secret",
        "data": secretData,
        "metadata": [
            "creationTimestamp": "2026-05-01T09:13:05Z",
            "labels": ["app": "shop"],
            "managedFields": [
                managedField("kubectl-create", "v1", "2026-05-01T09:13:05Z", [
                    "f:data": [".": [:], "f:password": [:], "f:username": [:]],
                    "f:metadata": ["f:labels": [".": [:], "f:app": [:]]],
                    "f:type": [:],
                ]),
            ],
            "name": "creds", "namespace": "shop", "resourceVersion": "1218", "uid": "e92a6c4f-1b3d-4f57-b8e0-6d4c2a9f1e35",
        ],
        "type": "Opaque",
    ])

    /// The source cluster's Service address and node ports; only `admin`'s node port was set by its owner.
    static let backedUpClusterIP = "10.96.200.17"
    static let allocatedNodePort: Int64 = 31380
    static let explicitNodePort: Int64 = 31990

    static let service = VeleroItem(resource: "services", version: "v1", object: [
        "apiVersion": "v1", "kind": "Service",
        "metadata": [
            "annotations": [
                "kubectl.kubernetes.io/last-applied-configuration": lastApplied([
                    "apiVersion": "v1", "kind": "Service",
                    "metadata": ["annotations": [:], "labels": ["app": "web"], "name": "web", "namespace": "shop"],
                    "spec": [
                        "ports": [
                            ["name": "http", "port": 80, "targetPort": 8080],
                            ["name": "admin", "nodePort": .int(explicitNodePort), "port": 9090, "targetPort": 9090],
                        ],
                        "selector": ["app": "web"], "type": "NodePort",
                    ],
                ]),
            ],
            "creationTimestamp": "2026-05-01T09:13:10Z",
            "labels": ["app": "web"],
            "managedFields": [
                managedField("kubectl-client-side-apply", "v1", "2026-05-01T09:13:10Z", [
                    "f:metadata": [
                        "f:annotations": [".": [:], "f:kubectl.kubernetes.io/last-applied-configuration": [:]],
                        "f:labels": [".": [:], "f:app": [:]],
                    ],
                    "f:spec": [
                        "f:externalTrafficPolicy": [:], "f:internalTrafficPolicy": [:],
                        "f:ports": [
                            ".": [:],
                            #"k:{"port":80,"protocol":"TCP"}"#: [".": [:], "f:name": [:], "f:port": [:], "f:protocol": [:], "f:targetPort": [:]],
                            #"k:{"port":9090,"protocol":"TCP"}"#: [
                                ".": [:], "f:name": [:], "f:nodePort": [:], "f:port": [:], "f:protocol": [:], "f:targetPort": [:],
                            ],
                        ],
                        "f:selector": [:], "f:sessionAffinity": [:], "f:type": [:],
                    ],
                ]),
            ],
            "name": "web", "namespace": "shop", "resourceVersion": "1231", "uid": "3a7c9e21-4d6b-4f08-92c5-7e1b0a3d5f68",
        ],
        "spec": [
            "clusterIP": .string(backedUpClusterIP),
            "clusterIPs": [.string(backedUpClusterIP)],
            "externalTrafficPolicy": "Cluster",
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [
                ["name": "http", "nodePort": .int(allocatedNodePort), "port": 80, "protocol": "TCP", "targetPort": 8080],
                ["name": "admin", "nodePort": .int(explicitNodePort), "port": 9090, "protocol": "TCP", "targetPort": 9090],
            ],
            "selector": ["app": "web"],
            "sessionAffinity": "None",
            "type": "NodePort",
        ],
        "status": ["loadBalancer": [:]],
    ])

    static let deployment = VeleroItem(resource: "deployments.apps", version: "v1", object: [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": [
            "annotations": ["deployment.kubernetes.io/revision": "2"],
            "creationTimestamp": "2026-05-01T09:13:12Z",
            "generation": 4,
            "labels": ["app": "web"],
            "managedFields": [
                managedField("kubectl-create", "apps/v1", "2026-05-03T14:20:31Z", [
                    "f:metadata": ["f:labels": [".": [:], "f:app": [:]]],
                    "f:spec": [
                        "f:progressDeadlineSeconds": [:], "f:replicas": [:], "f:revisionHistoryLimit": [:], "f:selector": [:],
                        "f:strategy": ["f:rollingUpdate": [".": [:], "f:maxSurge": [:], "f:maxUnavailable": [:]], "f:type": [:]],
                        "f:template": [
                            "f:metadata": ["f:labels": [".": [:], "f:app": [:]]],
                            "f:spec": ["f:containers": [#"k:{"name":"web"}"#: [".": [:], "f:image": [:], "f:name": [:]]]],
                        ],
                    ],
                ]),
                managedField("kube-controller-manager", "apps/v1", "2026-05-03T14:21:02Z", [
                    "f:metadata": ["f:annotations": [".": [:], "f:deployment.kubernetes.io/revision": [:]]],
                    "f:status": [
                        "f:availableReplicas": [:], "f:conditions": [".": [:]], "f:observedGeneration": [:], "f:readyReplicas": [:],
                        "f:replicas": [:], "f:updatedReplicas": [:],
                    ],
                ], subresource: "status"),
            ],
            "name": "web", "namespace": "shop", "resourceVersion": "4410", "uid": "9c2e5b7d-3f1a-4c86-b0d4-1a7e6f2c8b59",
        ],
        "spec": [
            "progressDeadlineSeconds": 600,
            "replicas": 3,
            "revisionHistoryLimit": 10,
            "selector": ["matchLabels": ["app": "web"]],
            "strategy": ["rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"], "type": "RollingUpdate"],
            "template": [
                // Go marshals the zero metav1.Time of a template as null.
                "metadata": ["creationTimestamp": .null, "labels": ["app": "web"]],
                "spec": [
                    "containers": [
                        [
                            "env": [["name": "MODE", "valueFrom": ["configMapKeyRef": ["key": "mode", "name": "settings"]]]],
                            "image": "registry.example.com/shop/web:1.4.2",
                            "imagePullPolicy": "IfNotPresent",
                            "name": "web",
                            "ports": [["containerPort": 8080, "name": "http", "protocol": "TCP"]],
                            "resources": ["limits": ["memory": "256Mi"], "requests": ["cpu": "100m", "memory": "128Mi"]],
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File",
                        ],
                    ],
                    "dnsPolicy": "ClusterFirst",
                    "restartPolicy": "Always",
                    "schedulerName": "default-scheduler",
                    "securityContext": [:],
                    "serviceAccount": "web",
                    "serviceAccountName": "web",
                    "terminationGracePeriodSeconds": 30,
                ],
            ],
        ],
        "status": [
            "availableReplicas": 3,
            "conditions": [
                [
                    "lastTransitionTime": "2026-05-01T09:13:20Z", "lastUpdateTime": "2026-05-01T09:13:20Z",
                    "message": "Deployment has minimum availability.", "reason": "MinimumReplicasAvailable", "status": "True",
                    "type": "Available",
                ],
                [
                    "lastTransitionTime": "2026-05-01T09:13:12Z", "lastUpdateTime": "2026-05-03T14:21:02Z",
                    "message": #"ReplicaSet "web-6d9f7c8b5" has successfully progressed."#, "reason": "NewReplicaSetAvailable",
                    "status": "True", "type": "Progressing",
                ],
            ],
            "observedGeneration": 4,
            "readyReplicas": 3,
            "replicas": 3,
            "updatedReplicas": 3,
        ],
    ])

    static let serviceAccount = VeleroItem(resource: "serviceaccounts", version: "v1", object: [
        "apiVersion": "v1", "kind": "ServiceAccount",
        "automountServiceAccountToken": false,
        "imagePullSecrets": [["name": "registry-pull"]],
        "metadata": [
            "creationTimestamp": "2026-05-01T09:13:04Z",
            "labels": ["app": "web"],
            "managedFields": [
                managedField("kubectl-create", "v1", "2026-05-01T09:13:04Z", [
                    "f:automountServiceAccountToken": [:], "f:imagePullSecrets": [:],
                    "f:metadata": ["f:labels": [".": [:], "f:app": [:]]],
                ]),
            ],
            "name": "web", "namespace": "shop", "resourceVersion": "1212", "uid": "5b8d1f3e-7a2c-4e69-8f04-2c6a9e1d7b30",
        ],
    ])

    /// The account the service-account controller made with the namespace; the target cluster makes its own.
    static let defaultServiceAccount = VeleroItem(resource: "serviceaccounts", version: "v1", object: [
        "apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": [
            "creationTimestamp": "2026-05-01T09:12:44Z",
            "name": "default", "namespace": "shop", "resourceVersion": "1188", "uid": "1e4a7c9b-2d5f-4a83-b6e1-8c3f0d2a5e97",
        ],
    ])

    /// Cluster-scoped, with the colon RBAC names often have; its preferred-version path is over 100 bytes, so the
    /// USTAR prefix field is used.
    static let clusterRole = VeleroItem(resource: "clusterroles.rbac.authorization.k8s.io", version: "v1", object: [
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": [
            "creationTimestamp": "2026-05-01T09:12:58Z",
            "labels": ["app": "shop"],
            "managedFields": [
                managedField("kubectl-create", "rbac.authorization.k8s.io/v1", "2026-05-01T09:12:58Z", [
                    "f:metadata": ["f:labels": [".": [:], "f:app": [:]]], "f:rules": [:],
                ]),
            ],
            "name": "shop:catalog-reader", "resourceVersion": "1201", "uid": "8d6f2b4a-9c1e-4f73-a5d8-0b7e3c1f9a46",
        ],
        "rules": [
            ["apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["get", "list", "watch"]],
            ["apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]],
        ],
    ])

    /// Everything in Velero's collection order: cluster-scoped types, then namespaced ones, resource by resource.
    static let items: [VeleroItem] = [
        clusterRole, namespace, rootCA, settings, creds, serviceAccount, defaultServiceAccount, service, deployment,
    ]
}

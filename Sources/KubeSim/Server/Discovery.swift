/// Legacy discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>`), built from
/// the registry on every request so CRDs appear as soon as they are established.
enum Discovery {
    static func version() -> JSONValue {
        .object([
            "major": .string(KubeSimVersion.major), "minor": .string(KubeSimVersion.minor),
            "gitVersion": .string(KubeSimVersion.gitVersion), "gitCommit": "0000000000000000000000000000000000000000",
            "gitTreeState": "clean", "buildDate": "2024-12-11T00:00:00Z", "goVersion": "go1.23.4", "compiler": "gc",
            "platform": "linux/amd64",
        ])
    }

    static func coreVersions(serverAddress: String) -> JSONValue {
        .object([
            "kind": "APIVersions", "versions": .array(["v1"]),
            "serverAddressByClientCIDRs": .array([.object(["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)])]),
        ])
    }

    /// Groups and their versions, preferred first; built-in groups in their usual order, then CRD groups by name.
    static func groups(_ resources: [ResourceKey: ResourceType]) -> [(name: String, versions: [String])] {
        var versionsByGroup: [String: [String]] = [:]
        for type in resources.values where !type.group.isEmpty {
            var versions = versionsByGroup[type.group] ?? []
            for version in type.versions where !versions.contains(version) { versions.append(version) }
            versionsByGroup[type.group] = versions
        }
        let builtin = BuiltinResources.groupOrder.filter { versionsByGroup[$0] != nil }
        let custom = versionsByGroup.keys.filter { !BuiltinResources.groupOrder.contains($0) }.sorted()
        return (builtin + custom).map { ($0, versionsByGroup[$0]!.sorted(by: ClusterState.versionPriority)) }
    }

    static func groupJSON(name: String, versions: [String]) -> JSONValue {
        let entries = versions.map { JSONValue.object(["groupVersion": .string("\(name)/\($0)"), "version": .string($0)]) }
        return .object(["name": .string(name), "versions": .array(entries), "preferredVersion": entries[0]])
    }

    static func groupList(_ resources: [ResourceKey: ResourceType]) -> JSONValue {
        .object([
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(groups(resources).map { groupJSON(name: $0.name, versions: $0.versions) }),
        ])
    }

    static func group(_ name: String, _ resources: [ResourceKey: ResourceType]) -> JSONValue? {
        guard let entry = groups(resources).first(where: { $0.name == name }) else { return nil }
        var json = groupJSON(name: entry.name, versions: entry.versions)
        json["kind"] = "APIGroup"
        json["apiVersion"] = "v1"
        return json
    }

    static func resourceList(group: String, version: String, _ resources: [ResourceKey: ResourceType]) -> JSONValue? {
        let types = resources.values.filter { $0.group == group && $0.versions.contains(version) }.sorted { $0.plural < $1.plural }
        guard !types.isEmpty else { return nil }
        var entries: [JSONValue] = []
        for type in types {
            var entry: [String: JSONValue] = [
                "name": .string(type.plural), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
                "kind": .string(type.kind), "verbs": .array(type.verbs.map { .string($0) }),
            ]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
            if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
            entries.append(.object(entry))
            for sub in type.subresources {
                var subEntry: [String: JSONValue] = [
                    "name": .string("\(type.plural)/\(sub.name)"), "singularName": .string(type.singular),
                    "namespaced": .bool(type.namespaced), "kind": .string(sub.kind), "verbs": .array(sub.verbs.map { .string($0) }),
                ]
                if let g = sub.group { subEntry["group"] = .string(g) }
                if let v = sub.version { subEntry["version"] = .string(v) }
                entries.append(.object(subEntry))
            }
        }
        return .object([
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(entries),
        ])
    }
}

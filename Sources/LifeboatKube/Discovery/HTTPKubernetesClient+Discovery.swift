extension HTTPKubernetesClient {
    /// One full legacy discovery pass: `/api`, `/apis`, then every group-version's resource list in parallel.
    ///
    /// A group-version that fails (an aggregated API server that is down) is recorded in
    /// `failedGroupVersions` instead of failing the whole pass, as client-go does; `/api` and `/apis`
    /// themselves must answer.
    public func discover() async throws -> APIResourceCatalog {
        async let coreDocument = getJSON(path: "/api")
        async let groupsDocument = getJSON(path: "/apis")
        let core = try await coreDocument
        let groupList = try await groupsDocument

        var groups: [APIGroupInfo] = []
        let coreVersions = core["versions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !coreVersions.isEmpty {
            groups.append(APIGroupInfo(name: "", versions: coreVersions, preferredVersion: coreVersions[0]))
        }
        for group in groupList["groups"]?.arrayValue ?? [] {
            guard let name = group["name"]?.stringValue else { continue }
            let versions = group["versions"]?.arrayValue?.compactMap { $0["version"]?.stringValue } ?? []
            guard !versions.isEmpty else { continue }
            let preferred = group["preferredVersion"]?["version"]?.stringValue ?? versions[0]
            groups.append(APIGroupInfo(name: name, versions: versions, preferredVersion: preferred))
        }

        let pairs = groups.flatMap { group in group.versions.map { (group: group.name, version: $0) } }
        var byGroupVersion: [String: [APIResource]] = [:]
        var failed: [String] = []
        try await withThrowingTaskGroup(of: (String, [APIResource]?).self) { tasks in
            for pair in pairs {
                tasks.addTask {
                    let path = pair.group.isEmpty ? "/api/\(pair.version)" : "/apis/\(pair.group)/\(pair.version)"
                    let key = pair.group.isEmpty ? pair.version : "\(pair.group)/\(pair.version)"
                    do {
                        let list = try await self.getJSON(path: path)
                        return (key, Self.resources(in: list, group: pair.group, version: pair.version))
                    } catch let error as KubernetesError {
                        if case .credentials = error { throw error }
                        if error.code == 401 { throw error }
                        return (key, nil)
                    }
                }
            }
            for try await (key, resources) in tasks {
                if let resources { byGroupVersion[key] = resources } else { failed.append(key) }
            }
        }
        var resources: [APIResource] = []
        for pair in pairs {
            resources += byGroupVersion[pair.group.isEmpty ? pair.version : "\(pair.group)/\(pair.version)"] ?? []
        }
        return APIResourceCatalog(groups: groups, resources: resources, failedGroupVersions: failed.sorted())
    }

    static func resources(in list: JSONValue, group: String, version: String) -> [APIResource] {
        (list["resources"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry["name"]?.stringValue, let kind = entry["kind"]?.stringValue else { return nil }
            return APIResource(
                group: group, version: version, name: name,
                singularName: entry["singularName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? kind.lowercased(),
                kind: kind, namespaced: entry["namespaced"]?.boolValue ?? false,
                verbs: entry["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                shortNames: entry["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                categories: entry["categories"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }

    func getJSON(path: String) async throws -> JSONValue {
        let body = try await get(path: path)
        do {
            return try JSONParser.parse(body)
        } catch {
            throw KubernetesError.unexpectedResponse("\(path) did not answer JSON")
        }
    }
}

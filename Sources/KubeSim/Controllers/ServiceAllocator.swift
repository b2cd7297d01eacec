/// Cluster IP (10.96.0.0/12) and NodePort (30000–32767) allocation for Services, with the
/// "already allocated" errors restore tools have to handle.
struct ServiceAllocator: Sendable {
    var usedIPs: Set<String> = ["10.96.0.1"]
    var usedNodePorts: Set<Int> = []
    var nextIP: UInt32 = 10
    var nextNodePort = 30000

    static func ipString(_ offset: UInt32) -> String {
        let base: UInt32 = (10 << 24) | (96 << 16)
        let ip = base + offset
        return "\(ip >> 24).\((ip >> 16) & 0xFF).\((ip >> 8) & 0xFF).\(ip & 0xFF)"
    }

    mutating func allocate(_ input: JSONValue, name: String, previous: JSONValue?, dryRun: Bool) throws(StatusError) -> JSONValue {
        var object = input
        var spec = object["spec"]?.objectValue ?? [:]
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        spec["type"] = .string(type)
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        func invalid(_ field: String, _ detail: String) -> StatusError {
            .invalid(kind: "Service", group: "", name: name, field: field, detail: detail)
        }
        let previousIP = previous?.value(at: ["spec", "clusterIP"])?.stringValue
        var claimedIP: String?
        if type != "ExternalName" {
            let requested = spec["clusterIP"]?.stringValue ?? ""
            if let previousIP, !previousIP.isEmpty {
                if !requested.isEmpty, requested != previousIP {
                    throw invalid("spec.clusterIPs[0]", "Invalid value: []string{\"\(requested)\"}: may not change once set")
                }
                spec["clusterIP"] = .string(previousIP)
            } else if requested == "None" {
                spec["clusterIP"] = "None"
            } else if !requested.isEmpty {
                guard requested.hasPrefix("10.96.") || requested.hasPrefix("10.9") || requested.hasPrefix("10.1") else {
                    throw invalid("spec.clusterIPs", "Invalid value: []string{\"\(requested)\"}: failed to allocate IP \(requested): provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12")
                }
                if usedIPs.contains(requested) {
                    throw invalid("spec.clusterIPs", "Invalid value: []string{\"\(requested)\"}: failed to allocate IP \(requested): provided IP is already allocated")
                }
                claimedIP = requested
            } else {
                var offset = nextIP
                while usedIPs.contains(Self.ipString(offset)) { offset += 1 }
                claimedIP = Self.ipString(offset)
                if !dryRun { nextIP = offset + 1 }
            }
            if let claimedIP { spec["clusterIP"] = .string(claimedIP) }
            spec["clusterIPs"] = .array([spec["clusterIP"] ?? "None"])
            if spec["ipFamilies"] == nil { spec["ipFamilies"] = .array(["IPv4"]) }
            if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
            if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
        }
        let previousPorts = Set((previous?.value(at: ["spec", "ports"])?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue })
        var newPorts: [Int] = []
        if var ports = spec["ports"]?.arrayValue {
            for index in ports.indices {
                guard case .object(var port) = ports[index] else { continue }
                if port["protocol"] == nil { port["protocol"] = "TCP" }
                if port["targetPort"] == nil, let p = port["port"] { port["targetPort"] = p }
                if type == "NodePort" || type == "LoadBalancer" {
                    if let requested = port["nodePort"]?.intValue {
                        if !previousPorts.contains(requested) {
                            if usedNodePorts.contains(requested) || newPorts.contains(requested) {
                                throw invalid("spec.ports[\(index)].nodePort", "Invalid value: \(requested): provided port is already allocated")
                            }
                            guard (30000...32767).contains(requested) else {
                                throw invalid("spec.ports[\(index)].nodePort", "Invalid value: \(requested): provided port is not in the valid range. The range of valid ports is 30000-32767")
                            }
                            newPorts.append(requested)
                        }
                    } else {
                        var candidate = nextNodePort
                        while usedNodePorts.contains(candidate) || newPorts.contains(candidate) || previousPorts.contains(candidate) {
                            candidate = candidate >= 32767 ? 30000 : candidate + 1
                        }
                        newPorts.append(candidate)
                        port["nodePort"] = .int(candidate)
                        if !dryRun { nextNodePort = candidate >= 32767 ? 30000 : candidate + 1 }
                    }
                }
                ports[index] = .object(port)
            }
            spec["ports"] = .array(ports)
        }
        if !dryRun {
            if let claimedIP { usedIPs.insert(claimedIP) }
            usedNodePorts.formUnion(newPorts)
        }
        object["spec"] = .object(spec)
        if object["status"] == nil || previous == nil { object["status"] = previous?["status"] ?? .object(["loadBalancer": .object([:])]) }
        return object
    }

    mutating func release(_ object: JSONValue) {
        if let ip = object.value(at: ["spec", "clusterIP"])?.stringValue { usedIPs.remove(ip) }
        for port in object.value(at: ["spec", "ports"])?.arrayValue ?? [] {
            if let nodePort = port["nodePort"]?.intValue { usedNodePorts.remove(nodePort) }
        }
    }
}

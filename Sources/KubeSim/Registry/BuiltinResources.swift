/// The built-in resources of a Kubernetes 1.32 API server that KubeSim serves.
enum BuiltinResources {
    private static func make(
        _ group: String, _ versions: [String], _ plural: String, _ kind: String, namespaced: Bool = true,
        short: [String] = [], categories: [String] = [], status: Bool = false, scale: Bool = false,
        generation: Bool = false, returnsObject: Bool = false, extra: [ResourceType.Subresource] = [],
        verbs: [String] = ResourceType.standardVerbs
    ) -> ResourceType {
        var subresources = extra
        if status { subresources.append(.init(name: "status", kind: kind, verbs: ["get", "patch", "update"])) }
        if scale {
            subresources.append(.init(name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"]))
        }
        return ResourceType(
            group: group, versions: versions, storageVersion: versions[0], plural: plural,
            singular: kind.lowercased(), kind: kind, listKind: kind + "List", namespaced: namespaced, verbs: verbs,
            shortNames: short, categories: categories, subresources: subresources, tracksGeneration: generation,
            deleteReturnsObject: returnsObject)
    }

    static let all: [ResourceType] = {
        let v1 = ["v1"]
        let podExtras: [ResourceType.Subresource] = [
            .init(name: "exec", kind: "PodExecOptions", verbs: ["create", "get"]),
            .init(name: "log", kind: "Pod", verbs: ["get"]),
        ]
        return [
            // core
            make("", v1, "configmaps", "ConfigMap", short: ["cm"]),
            make("", v1, "endpoints", "Endpoints", short: ["ep"]),
            make("", v1, "events", "Event", short: ["ev"]),
            make("", v1, "limitranges", "LimitRange", short: ["limits"]),
            make("", v1, "namespaces", "Namespace", namespaced: false, short: ["ns"], status: true,
                 extra: [.init(name: "finalize", kind: "Namespace", verbs: ["update"])],
                 verbs: ["create", "delete", "get", "list", "patch", "update", "watch"]),
            make("", v1, "nodes", "Node", namespaced: false, short: ["no"], status: true),
            make("", v1, "persistentvolumeclaims", "PersistentVolumeClaim", short: ["pvc"], status: true, returnsObject: true),
            make("", v1, "persistentvolumes", "PersistentVolume", namespaced: false, short: ["pv"], status: true, returnsObject: true),
            make("", v1, "pods", "Pod", short: ["po"], categories: ["all"], status: true, returnsObject: true, extra: podExtras),
            make("", v1, "podtemplates", "PodTemplate"),
            make("", v1, "replicationcontrollers", "ReplicationController", short: ["rc"], categories: ["all"], status: true, scale: true, generation: true),
            make("", v1, "resourcequotas", "ResourceQuota", short: ["quota"], status: true),
            make("", v1, "secrets", "Secret"),
            make("", v1, "serviceaccounts", "ServiceAccount", short: ["sa"], returnsObject: true),
            make("", v1, "services", "Service", short: ["svc"], categories: ["all"], status: true),
            // apps
            make("apps", v1, "controllerrevisions", "ControllerRevision"),
            make("apps", v1, "daemonsets", "DaemonSet", short: ["ds"], categories: ["all"], status: true, generation: true),
            make("apps", v1, "deployments", "Deployment", short: ["deploy"], categories: ["all"], status: true, scale: true, generation: true),
            make("apps", v1, "replicasets", "ReplicaSet", short: ["rs"], categories: ["all"], status: true, scale: true, generation: true),
            make("apps", v1, "statefulsets", "StatefulSet", short: ["sts"], categories: ["all"], status: true, scale: true, generation: true),
            // batch
            make("batch", v1, "cronjobs", "CronJob", short: ["cj"], categories: ["all"], status: true, generation: true),
            make("batch", v1, "jobs", "Job", categories: ["all"], status: true, generation: true),
            // networking
            make("networking.k8s.io", v1, "ingressclasses", "IngressClass", namespaced: false),
            make("networking.k8s.io", v1, "ingresses", "Ingress", short: ["ing"], status: true, generation: true),
            make("networking.k8s.io", v1, "networkpolicies", "NetworkPolicy", short: ["netpol"], generation: true),
            // rbac
            make("rbac.authorization.k8s.io", v1, "clusterrolebindings", "ClusterRoleBinding", namespaced: false),
            make("rbac.authorization.k8s.io", v1, "clusterroles", "ClusterRole", namespaced: false),
            make("rbac.authorization.k8s.io", v1, "rolebindings", "RoleBinding"),
            make("rbac.authorization.k8s.io", v1, "roles", "Role"),
            // storage
            make("storage.k8s.io", v1, "csidrivers", "CSIDriver", namespaced: false),
            make("storage.k8s.io", v1, "csinodes", "CSINode", namespaced: false),
            make("storage.k8s.io", v1, "storageclasses", "StorageClass", namespaced: false, short: ["sc"]),
            make("storage.k8s.io", v1, "volumeattachments", "VolumeAttachment", namespaced: false, status: true),
            make("storage.k8s.io", v1, "volumeattributesclasses", "VolumeAttributesClass", namespaced: false, short: ["vac"]),
            // API machinery
            make("apiextensions.k8s.io", v1, "customresourcedefinitions", "CustomResourceDefinition", namespaced: false,
                 short: ["crd", "crds"], categories: ["api-extensions"], status: true, generation: true),
            make("apiregistration.k8s.io", v1, "apiservices", "APIService", namespaced: false, categories: ["api-extensions"], status: true),
            make("admissionregistration.k8s.io", v1, "mutatingwebhookconfigurations", "MutatingWebhookConfiguration",
                 namespaced: false, categories: ["api-extensions"], generation: true),
            make("admissionregistration.k8s.io", v1, "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
                 namespaced: false, categories: ["api-extensions"], generation: true),
            make("admissionregistration.k8s.io", v1, "validatingadmissionpolicies", "ValidatingAdmissionPolicy",
                 namespaced: false, categories: ["api-extensions"], status: true, generation: true),
            make("admissionregistration.k8s.io", v1, "validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding",
                 namespaced: false, categories: ["api-extensions"], generation: true),
            // others
            make("policy", v1, "poddisruptionbudgets", "PodDisruptionBudget", short: ["pdb"], status: true, generation: true),
            make("autoscaling", ["v2", "v1"], "horizontalpodautoscalers", "HorizontalPodAutoscaler", short: ["hpa"],
                 categories: ["all"], status: true, generation: true),
            make("scheduling.k8s.io", v1, "priorityclasses", "PriorityClass", namespaced: false, short: ["pc"]),
            make("coordination.k8s.io", v1, "leases", "Lease"),
            make("discovery.k8s.io", v1, "endpointslices", "EndpointSlice"),
            make("events.k8s.io", v1, "events", "Event", short: ["ev"]),
            make("node.k8s.io", v1, "runtimeclasses", "RuntimeClass", namespaced: false),
        ]
    }()

    /// The order of groups in `/apis`, as a real server lists them (built-ins first).
    static let groupOrder: [String] = {
        var seen: [String] = []
        for resource in all where !resource.group.isEmpty && !seen.contains(resource.group) { seen.append(resource.group) }
        return seen
    }()
}

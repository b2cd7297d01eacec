import LifeboatEngine
import Testing

/// Restore order (`velero-reference.md` §4).
@Suite struct RestorePrioritiesTests {
    @Test func veleroListsAreVelerosDefaultsQualified() {
        #expect(RestorePriorities.velero.high == [
            "customresourcedefinitions.apiextensions.k8s.io", "namespaces", "storageclasses.storage.k8s.io",
            "volumesnapshotclasses.snapshot.storage.k8s.io", "volumesnapshotcontents.snapshot.storage.k8s.io",
            "volumesnapshots.snapshot.storage.k8s.io", "datauploads.velero.io", "persistentvolumes", "persistentvolumeclaims",
            "clusterroles.rbac.authorization.k8s.io", "roles.rbac.authorization.k8s.io", "serviceaccounts",
            "clusterrolebindings.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io", "secrets", "configmaps",
            "limitranges", "priorityclasses.scheduling.k8s.io", "pods", "replicasets.apps", "clusterclasses.cluster.x-k8s.io",
            "endpoints", "services",
        ])
        #expect(RestorePriorities.velero.low == [
            "clusterbootstraps.run.tanzu.vmware.com", "clusters.cluster.x-k8s.io", "clusterresourcesets.addons.cluster.x-k8s.io",
            "apps.kappctrl.k14s.io", "packageinstalls.packaging.carvel.dev",
        ])
    }

    /// The resource types of the kube-prometheus corpus app, plus a few a running cluster adds, in backup order.
    @Test func highTypesOneByOneThenTheRestAlphabeticallyThenLowTypes() {
        let backedUp = [
            "servicemonitors.monitoring.coreos.com", "deployments.apps", "services", "pods", "replicasets.apps",
            "networkpolicies.networking.k8s.io", "configmaps", "secrets", "rolebindings.rbac.authorization.k8s.io",
            "clusterrolebindings.rbac.authorization.k8s.io", "serviceaccounts", "roles.rbac.authorization.k8s.io",
            "clusterroles.rbac.authorization.k8s.io", "namespaces", "customresourcedefinitions.apiextensions.k8s.io",
            "apiservices.apiregistration.k8s.io", "poddisruptionbudgets.policy", "clusters.cluster.x-k8s.io",
            "clusterresourcesets.addons.cluster.x-k8s.io", "endpoints", "prometheuses.monitoring.coreos.com",
        ]
        #expect(RestorePriorities.velero.tiers(of: backedUp) == [
            ["customresourcedefinitions.apiextensions.k8s.io"],
            ["namespaces"],
            ["clusterroles.rbac.authorization.k8s.io"],
            ["roles.rbac.authorization.k8s.io"],
            ["serviceaccounts"],
            ["clusterrolebindings.rbac.authorization.k8s.io"],
            ["rolebindings.rbac.authorization.k8s.io"],
            ["secrets"],
            ["configmaps"],
            ["pods"],
            ["replicasets.apps"],
            ["endpoints"],
            ["services"],
            [
                "apiservices.apiregistration.k8s.io", "deployments.apps", "networkpolicies.networking.k8s.io",
                "poddisruptionbudgets.policy", "prometheuses.monitoring.coreos.com", "servicemonitors.monitoring.coreos.com",
            ],
            ["clusters.cluster.x-k8s.io"],
            ["clusterresourcesets.addons.cluster.x-k8s.io"],
        ])
    }

    @Test func storageTypesComeInVolumeOrder() {
        let tiers = RestorePriorities.velero.tiers(of: [
            "pods", "persistentvolumeclaims", "persistentvolumes", "storageclasses.storage.k8s.io",
            "volumesnapshots.snapshot.storage.k8s.io", "volumesnapshotclasses.snapshot.storage.k8s.io",
            "volumesnapshotcontents.snapshot.storage.k8s.io", "statefulsets.apps",
        ])
        #expect(tiers == [
            ["storageclasses.storage.k8s.io"], ["volumesnapshotclasses.snapshot.storage.k8s.io"],
            ["volumesnapshotcontents.snapshot.storage.k8s.io"], ["volumesnapshots.snapshot.storage.k8s.io"],
            ["persistentvolumes"], ["persistentvolumeclaims"], ["pods"], ["statefulsets.apps"],
        ])
    }

    /// Names are compared exactly: a bare name of a grouped type, or the same plural in another group, is "other".
    @Test func namesMatchOnlyWhenQualifiedTheSameWay() {
        let tiers = RestorePriorities.velero.tiers(of: [
            "storageclasses", "replicasets.extensions", "customresourcedefinitions", "pods", "services.serving.knative.dev",
        ])
        #expect(tiers == [
            ["pods"],
            ["customresourcedefinitions", "replicasets.extensions", "services.serving.knative.dev", "storageclasses"],
        ])
    }

    @Test func emptyTiersAreLeftOutAndDuplicatesCollapse() {
        #expect(RestorePriorities.velero.tiers(of: []) == [])
        #expect(RestorePriorities.velero.tiers(of: ["pods", "pods", "namespaces"]) == [["namespaces"], ["pods"]])
        #expect(RestorePriorities.velero.tiers(of: ["jobs.batch", "deployments.apps", "jobs.batch"]) == [["deployments.apps", "jobs.batch"]])
        #expect(RestorePriorities.velero.tiers(of: ["apps.kappctrl.k14s.io"]) == [["apps.kappctrl.k14s.io"]])
    }

    @Test func customListsKeepTheirOrderAndHighWins() {
        let priorities = RestorePriorities(high: ["b", "a"], low: ["z", "a", "y"])
        #expect(priorities.tiers(of: ["a", "y", "m", "z", "b", "c"]) == [["b"], ["a"], ["c", "m"], ["z"], ["y"]])
    }
}

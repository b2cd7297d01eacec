import LifeboatEngine
import LifeboatKube
import Testing

/// The generic reset (`velero-reference.md` §6.1).
@Suite struct ItemResetTests {
    /// A Deployment of the kube-prometheus corpus app as `kubectl get -o json` returns it from a running cluster.
    static let deployment = #"""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"kube-state-metrics","namespace":"monitoring","generateName":"ksm-",
           "selfLink":"/apis/apps/v1/namespaces/monitoring/deployments/kube-state-metrics",
           "uid":"0b7c1f5e-6a2d-4f7e-9c1d-2f0c3e4b5a69","resourceVersion":"48213","generation":3,
           "creationTimestamp":"2025-03-01T10:00:00Z","deletionTimestamp":"2025-03-02T10:00:00Z","deletionGracePeriodSeconds":30,
           "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"11111111-2222-3333-4444-555555555555"}],
           "labels":{"app.kubernetes.io/name":"kube-state-metrics","app.kubernetes.io/version":"2.13.0"},
           "annotations":{"deployment.kubernetes.io/revision":"3"},
           "finalizers":["example.com/keep"],
           "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1",
             "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app.kubernetes.io/name":"kube-state-metrics"}}},
         "status":{"observedGeneration":3,"replicas":1,"readyReplicas":1,"availableReplicas":1}}
        """#

    @Test func resetMetadataRemovesServerAssignedFieldsAndKeepsTheOwners() throws {
        var object = try JSONValue(parsing: Self.deployment)
        ItemReset.resetMetadata(&object)
        let metadata = try #require(object["metadata"]?.objectValue)
        #expect(metadata.keys.sorted() == ["annotations", "finalizers", "labels", "managedFields", "name", "namespace"])
        #expect(metadata["labels"]?["app.kubernetes.io/version"] == "2.13.0")
        #expect(metadata["annotations"] == ["deployment.kubernetes.io/revision": "3"])
        #expect(metadata["finalizers"] == ["example.com/keep"])
        #expect(metadata["managedFields"]?.arrayValue?.first?["manager"] == "kubectl-client-side-apply")
        #expect(object["spec"]?["replicas"] == 1)
        #expect(object["status"]?["readyReplicas"] == 1)
    }

    @Test func resetMetadataLeavesAnObjectWithoutMetadataAlone() throws {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["a": "b"]]
        ItemReset.resetMetadata(&object)
        #expect(object == ["apiVersion": "v1", "kind": "ConfigMap", "data": ["a": "b"]])
    }

    @Test func takeStatusRemovesAndReturnsIt() throws {
        var object = try JSONValue(parsing: Self.deployment)
        let status = ItemReset.takeStatus(&object)
        #expect(status == ["observedGeneration": 3, "replicas": 1, "readyReplicas": 1, "availableReplicas": 1])
        #expect(object.objectValue?.keys.sorted() == ["apiVersion", "kind", "metadata", "spec"])
        #expect(ItemReset.takeStatus(&object) == nil)
        #expect(object.objectValue?.keys.sorted() == ["apiVersion", "kind", "metadata", "spec"])
    }

    @Test func restoreLabelsJoinTheObjectsOwnLabels() throws {
        var object = try JSONValue(parsing: Self.deployment)
        ItemReset.addRestoreLabels(&object, backupName: "nightly", restoreName: "nightly-20250301")
        #expect(object["metadata"]?["labels"] == [
            "app.kubernetes.io/name": "kube-state-metrics", "app.kubernetes.io/version": "2.13.0",
            "velero.io/backup-name": "nightly", "velero.io/restore-name": "nightly-20250301",
        ])
    }

    @Test func restoreLabelsCreateMissingMetadataAndReplaceAnEarlierRestoresLabels() throws {
        var bare: JSONValue = ["apiVersion": "v1", "kind": "Namespace"]
        ItemReset.addRestoreLabels(&bare, backupName: "b", restoreName: "r")
        #expect(bare == ["apiVersion": "v1", "kind": "Namespace",
                         "metadata": ["labels": ["velero.io/backup-name": "b", "velero.io/restore-name": "r"]]])

        var restoredBefore: JSONValue = ["metadata": ["name": "x", "labels": ["velero.io/backup-name": "old", "velero.io/restore-name": "old-1"]]]
        ItemReset.addRestoreLabels(&restoredBefore, backupName: "new", restoreName: "new-1")
        #expect(restoredBefore["metadata"]?["labels"] == ["velero.io/backup-name": "new", "velero.io/restore-name": "new-1"])
    }

    @Test(arguments: [
        ("nightly", "nightly"),
        (String(repeating: "a", count: 63), String(repeating: "a", count: 63)),
        (String(repeating: "a", count: 64), String(repeating: "a", count: 57) + "ffe054"),
        ("nightly-backup-of-the-production-cluster-with-a-very-long-descriptive-name",
         "nightly-backup-of-the-production-cluster-with-a-very-long817f45"),
    ])
    func longLabelValuesAreShortenedWithAHash(value: String, expected: String) {
        #expect(ItemReset.validLabelValue(value) == expected)
        #expect(ItemReset.validLabelValue(value).utf8.count <= 63)
    }

    @Test func longNamesAreShortenedInTheLabels() throws {
        var object: JSONValue = ["metadata": ["name": "x"]]
        ItemReset.addRestoreLabels(
            &object, backupName: "nightly",
            restoreName: "restore-of-nightly-backup-of-the-production-cluster-20250101120000")
        #expect(object["metadata"]?["labels"]?["velero.io/restore-name"] == "restore-of-nightly-backup-of-the-production-cluster-20250c09485")
    }
}

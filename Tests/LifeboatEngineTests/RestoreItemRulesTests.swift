import LifeboatCore
import LifeboatEngine
import LifeboatKube
import Testing

/// What restore skips and changes per item (`velero-reference.md` §6). The objects are corpus manifests as a
/// running cluster returns them (server-set metadata, allocated IPs and ports, status).
@Suite struct RestoreItemRulesTests {
    let rules: RestoreItemRules

    init() throws {
        rules = try Self.rules(mapping: ["ingress-nginx": "ingress-nginx-copy", "monitoring": "monitoring-dr"])
    }

    static func rules(
        mapping: [String: String] = [:], preserveNodePorts: Bool = false, restoreStatus: IncludesExcludes? = nil,
        restoreName: String = "nightly-20250301"
    ) throws -> RestoreItemRules {
        RestoreItemRules(
            backupName: "nightly", restoreName: restoreName, namespaceMapping: try NamespaceMapping(mapping),
            preserveNodePorts: preserveNodePorts, restoreStatus: restoreStatus)
    }

    static func created(_ item: PreparedItem, sourceLocation: SourceLocation = #_sourceLocation) throws -> (object: JSONValue, status: JSONValue?) {
        guard case .create(let object, let status) = item else {
            Issue.record("expected create, got \(item)", sourceLocation: sourceLocation)
            throw NotCreated()
        }
        return (object, status)
    }

    struct NotCreated: Error {}

    static let restoreLabels: JSONValue = ["velero.io/backup-name": "nightly", "velero.io/restore-name": "nightly-20250301"]

    // MARK: - Never restored

    @Test(arguments: Array(RestoreSpec.nonRestorableResources).sorted())
    func nonRestorableResourcesAreSkipped(resource: String) throws {
        let object = try JSONValue(parsing: #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-1"}}"#)
        #expect(rules.prepare(object, resource: resource) == .skip(reason: "\(resource) are non-restorable resources"))
    }

    // MARK: - Pods

    static let pod = #"""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"redis-master","namespace":"monitoring","uid":"6f1c2a9e-0d4b-4c8e-9a7f-3b2e1d0c9f8a",
           "resourceVersion":"9912","creationTimestamp":"2025-03-01T10:00:00Z","labels":{"app":"redis"},
           "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"redis-master-5d8f","uid":"0a1b2c3d-0000-0000-0000-000000000001","controller":true}]},
         "spec":{"nodeName":"worker-2","priority":0,"priorityClassName":"default","serviceAccountName":"redis",
           "volumes":[{"name":"data","emptyDir":{}},{"name":"redis-token-x7k2p","secret":{"secretName":"redis-token-x7k2p"}},
                      {"name":"kube-api-access-9qz5w","projected":{"sources":[{"serviceAccountToken":{"path":"token"}}]}}],
           "initContainers":[{"name":"init","image":"busybox:1.36",
             "volumeMounts":[{"name":"redis-token-x7k2p","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
           "containers":[{"name":"master","image":"registry.k8s.io/redis:e2e",
             "volumeMounts":[{"name":"data","mountPath":"/redis-master-data"},
                             {"name":"redis-token-x7k2p","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"},
                             {"name":"kube-api-access-9qz5w","mountPath":"/var/run/secrets/tokens"}]}]},
         "status":{"phase":"Running","podIP":"10.244.1.7","hostIP":"172.18.0.3"}}
        """#

    @Test(arguments: ["Succeeded", "Failed"])
    func completedPodsAreSkipped(phase: String) throws {
        var pod = try JSONValue(parsing: Self.pod)
        pod["status"]?["phase"] = .string(phase)
        #expect(rules.prepare(pod, resource: "pods") == .skip(reason: "pod has completed"))
    }

    @Test func podLosesNodePriorityAndLegacyTokenVolumes() throws {
        let (pod, status) = try Self.created(rules.prepare(try JSONValue(parsing: Self.pod), resource: "pods"))
        let expected = try JSONValue(parsing: #"""
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"redis-master","namespace":"monitoring-dr",
               "labels":{"app":"redis","velero.io/backup-name":"nightly","velero.io/restore-name":"nightly-20250301"}},
             "spec":{"priorityClassName":"default","serviceAccountName":"redis",
               "volumes":[{"name":"data","emptyDir":{}},
                          {"name":"kube-api-access-9qz5w","projected":{"sources":[{"serviceAccountToken":{"path":"token"}}]}}],
               "initContainers":[{"name":"init","image":"busybox:1.36"}],
               "containers":[{"name":"master","image":"registry.k8s.io/redis:e2e",
                 "volumeMounts":[{"name":"data","mountPath":"/redis-master-data"},
                                 {"name":"kube-api-access-9qz5w","mountPath":"/var/run/secrets/tokens"}]}]}}
            """#)
        #expect(pod == expected)
        #expect(status == nil)
    }

    @Test func liveRunningPodComparesEqualToTheBackedUpOne() throws {
        let (prepared, _) = try Self.created(rules.prepare(try JSONValue(parsing: Self.pod), resource: "pods"))
        var live = try JSONValue(parsing: Self.pod)
        live["metadata"]?["namespace"] = "monitoring-dr"
        live["metadata"]?["uid"] = "99999999-8888-7777-6666-555555555555"
        live["spec"]?["nodeName"] = "worker-7"
        live["status"]?["podIP"] = "10.244.3.2"
        #expect(rules.comparable(prepared: prepared) == rules.comparable(live: live, resource: "pods"))
        live["spec"]?["containers"] = [["name": "master", "image": "registry.k8s.io/redis:other"]]
        #expect(rules.comparable(prepared: prepared) != rules.comparable(live: live, resource: "pods"))
    }

    // MARK: - Jobs

    /// The descheduler corpus Job, after it ran.
    static let job = #"""
        {"apiVersion":"batch/v1","kind":"Job",
         "metadata":{"name":"descheduler-job","namespace":"kube-system","uid":"c0ffee00-1111-2222-3333-444444444444",
           "labels":{"batch.kubernetes.io/controller-uid":"c0ffee00-1111-2222-3333-444444444444","controller-uid":"c0ffee00-1111-2222-3333-444444444444",
                     "batch.kubernetes.io/job-name":"descheduler-job","job-name":"descheduler-job"}},
         "spec":{"parallelism":1,"completions":1,"backoffLimit":6,
           "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"c0ffee00-1111-2222-3333-444444444444"}},
           "template":{"metadata":{"name":"descheduler-pod",
             "labels":{"batch.kubernetes.io/controller-uid":"c0ffee00-1111-2222-3333-444444444444","controller-uid":"c0ffee00-1111-2222-3333-444444444444",
                       "batch.kubernetes.io/job-name":"descheduler-job","job-name":"descheduler-job"}},
             "spec":{"priorityClassName":"system-cluster-critical","restartPolicy":"Never",
               "containers":[{"name":"descheduler","image":"registry.k8s.io/descheduler/descheduler:v0.36.0"}]}}},
         "status":{"startTime":"2025-03-01T10:00:00Z","active":1}}
        """#

    @Test func jobWithACompletionTimeIsNotCreated() throws {
        var job = try JSONValue(parsing: Self.job)
        job["status"] = ["startTime": "2025-03-01T10:00:00Z", "completionTime": "2025-03-01T10:01:12Z", "succeeded": 1]
        #expect(rules.prepare(job, resource: "jobs.batch") == .skip(reason: "job has completed"))
    }

    @Test func jobWithACompleteConditionIsNotCreated() throws {
        var job = try JSONValue(parsing: Self.job)
        job["status"] = ["conditions": [["type": "SuccessCriteriaMet", "status": "True"], ["type": "Complete", "status": "True"]]]
        #expect(rules.prepare(job, resource: "jobs.batch") == .skip(reason: "job has completed"))
        job["status"] = ["conditions": [["type": "Complete", "status": "False"]]]
        #expect(rules.prepare(job, resource: "jobs.batch") != .skip(reason: "job has completed"))
    }

    @Test func runningJobLosesItsControllerUIDButKeepsItsName() throws {
        let (job, _) = try Self.created(rules.prepare(try JSONValue(parsing: Self.job), resource: "jobs.batch"))
        #expect(job["spec"]?["selector"] == [:])
        #expect(job["spec"]?["template"]?["metadata"]?["labels"] == [
            "batch.kubernetes.io/job-name": "descheduler-job", "job-name": "descheduler-job",
        ])
        // Only the template and selector are the controller's concern; the Job's own labels are the owner's.
        #expect(job["metadata"]?["labels"]?["controller-uid"] == "c0ffee00-1111-2222-3333-444444444444")
        #expect(job["metadata"]?["namespace"] == "kube-system")
        #expect(job["spec"]?["backoffLimit"] == 6)
    }

    // MARK: - Secrets

    static let tokenSecret = #"""
        {"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/service-account-token",
         "metadata":{"name":"build-robot-secret","namespace":"monitoring","uid":"ab12cd34-0000-0000-0000-000000000000",
           "annotations":{"kubernetes.io/service-account.name":"build-robot","kubernetes.io/service-account.uid":"5e6f7a8b-0000-0000-0000-000000000000"}},
         "data":{"ca.crt":"LS0tLS1CRUdJTi","namespace":"bW9uaXRvcmluZw==","token":"ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjk="}}
        """#

    @Test func generatedServiceAccountTokenSecretsAreNotCreated() throws {
        var secret = try JSONValue(parsing: Self.tokenSecret)
        secret["metadata"]?["name"] = "build-robot-token-4tpsn"
        #expect(rules.prepare(secret, resource: "secrets")
                == .skip(reason: "service account token secret is auto-generated: the token controller recreates it"))
    }

    @Test func manualServiceAccountTokenSecretLosesWhatTheTokenControllerWrites() throws {
        let (secret, _) = try Self.created(rules.prepare(try JSONValue(parsing: Self.tokenSecret), resource: "secrets"))
        #expect(secret["metadata"]?["annotations"] == ["kubernetes.io/service-account.name": "build-robot"])
        #expect(secret["data"] == ["namespace": "bW9uaXRvcmluZw=="])
        #expect(secret["metadata"]?["namespace"] == "monitoring-dr")
    }

    @Test func tokenSecretWithOnlyTokenDataHasNoData() throws {
        var secret = try JSONValue(parsing: Self.tokenSecret)
        secret["data"] = ["token": "ZXk=", "ca.crt": "LS0="]
        let (prepared, _) = try Self.created(rules.prepare(secret, resource: "secrets"))
        #expect(prepared.objectValue?.keys.sorted() == ["apiVersion", "kind", "metadata", "type"])
    }

    @Test func opaqueSecretsKeepATokenKey() throws {
        let secret = try JSONValue(parsing: #"""
            {"apiVersion":"v1","kind":"Secret","type":"Opaque",
             "metadata":{"name":"grafana-config","namespace":"monitoring","annotations":{"kubernetes.io/service-account.uid":"x"}},
             "data":{"token":"c2VjcmV0","ca.crt":"LS0="}}
            """#)
        let (prepared, _) = try Self.created(rules.prepare(secret, resource: "secrets"))
        #expect(prepared["data"] == ["token": "c2VjcmV0", "ca.crt": "LS0="])
        #expect(prepared["metadata"]?["annotations"] == ["kubernetes.io/service-account.uid": "x"])
    }

    // MARK: - Persistent volumes and claims

    /// The gke-samples `fileserver` PV, bound.
    static let volume = #"""
        {"apiVersion":"v1","kind":"PersistentVolume",
         "metadata":{"name":"fileserver","uid":"7d7d7d7d-0000-0000-0000-000000000000","resourceVersion":"311",
           "annotations":{"pv.kubernetes.io/provisioned-by":"filestore.csi.storage.gke.io","pv.kubernetes.io/bound-by-controller":"yes",
                          "pv.kubernetes.io/bind-completed":"yes"},
           "finalizers":["kubernetes.io/pv-protection"]},
         "spec":{"storageClassName":"filestore-sc","capacity":{"storage":"1Ti"},"accessModes":["ReadWriteMany"],
           "persistentVolumeReclaimPolicy":"Retain","volumeMode":"Filesystem",
           "claimRef":{"apiVersion":"v1","kind":"PersistentVolumeClaim","name":"fileserver","namespace":"monitoring",
                       "uid":"8e8e8e8e-0000-0000-0000-000000000000","resourceVersion":"305"},
           "csi":{"driver":"filestore.csi.storage.gke.io","volumeHandle":"modeInstance/us-central1-c/nfs/vol1"}},
         "status":{"phase":"Bound"}}
        """#

    @Test func volumeWithDeleteReclaimPolicyIsNotCreated() throws {
        var volume = try JSONValue(parsing: Self.volume)
        volume["spec"]?["persistentVolumeReclaimPolicy"] = "Delete"
        #expect(rules.prepare(volume, resource: "persistentvolumes") == .skip(reason: "reclaim policy Delete: re-provisioned by its claim"))
    }

    @Test func retainedVolumeForgetsItsBindingAndFollowsItsClaimsNamespace() throws {
        let (volume, status) = try Self.created(rules.prepare(try JSONValue(parsing: Self.volume), resource: "persistentvolumes"))
        #expect(volume["spec"]?["claimRef"] == [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": "fileserver", "namespace": "monitoring-dr",
        ])
        #expect(volume["metadata"]?["annotations"] == ["pv.kubernetes.io/provisioned-by": "filestore.csi.storage.gke.io"])
        #expect(volume["metadata"]?["finalizers"] == ["kubernetes.io/pv-protection"])
        #expect(volume["metadata"]?["namespace"] == nil)
        #expect(volume["metadata"]?["labels"] == Self.restoreLabels)
        #expect(volume["spec"]?["csi"]?["volumeHandle"] == "modeInstance/us-central1-c/nfs/vol1")
        #expect(status == nil)
    }

    @Test func volumeWhoseOnlyAnnotationsAreBindingOnesHasNoAnnotations() throws {
        var volume = try JSONValue(parsing: Self.volume)
        volume["metadata"]?["annotations"] = ["pv.kubernetes.io/bound-by-controller": "yes"]
        let (prepared, _) = try Self.created(rules.prepare(volume, resource: "persistentvolumes"))
        #expect(prepared["metadata"]?.objectValue?.keys.sorted() == ["finalizers", "labels", "name"])
    }

    @Test func claimLosesBindingAnnotationsAndKeepsItsVolumeName() throws {
        let claim = try JSONValue(parsing: #"""
            {"apiVersion":"v1","kind":"PersistentVolumeClaim",
             "metadata":{"name":"fileserver","namespace":"monitoring","uid":"8e8e8e8e-0000-0000-0000-000000000000",
               "annotations":{"pv.kubernetes.io/bind-completed":"yes","pv.kubernetes.io/bound-by-controller":"yes",
                 "volume.kubernetes.io/storage-provisioner":"filestore.csi.storage.gke.io",
                 "volume.beta.kubernetes.io/storage-provisioner":"filestore.csi.storage.gke.io",
                 "volume.kubernetes.io/selected-node":"worker-2","velero.io/volume-snapshot-name":"velero-fileserver-abc",
                 "velero.io/data-upload-name":"nightly-xyz","example.com/team":"storage"}},
             "spec":{"accessModes":["ReadWriteMany"],"storageClassName":"filestore-sc","volumeName":"fileserver",
               "resources":{"requests":{"storage":"1Ti"}}},
             "status":{"phase":"Bound","capacity":{"storage":"1Ti"}}}
            """#)
        let (prepared, status) = try Self.created(rules.prepare(claim, resource: "persistentvolumeclaims"))
        #expect(prepared["metadata"]?["annotations"] == ["example.com/team": "storage"])
        #expect(prepared["spec"]?["volumeName"] == "fileserver")
        #expect(prepared["metadata"]?["namespace"] == "monitoring-dr")
        #expect(prepared["status"] == nil)
        #expect(status == nil)
    }

    // MARK: - Services

    /// The ingress-nginx corpus controller Service as a cluster returns it: allocated IPs, node ports and health port.
    static let loadBalancer = #"""
        {"apiVersion":"v1","kind":"Service",
         "metadata":{"name":"ingress-nginx-controller","namespace":"ingress-nginx","uid":"1d2e3f40-0000-0000-0000-000000000000",
           "resourceVersion":"1200","creationTimestamp":"2025-03-01T10:00:00Z",
           "labels":{"app.kubernetes.io/component":"controller","app.kubernetes.io/name":"ingress-nginx"}},
         "spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","healthCheckNodePort":31945,
           "clusterIP":"10.96.112.40","clusterIPs":["10.96.112.40"],"ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
           "ports":[{"appProtocol":"http","name":"http","port":80,"protocol":"TCP","targetPort":"http","nodePort":30412},
                    {"appProtocol":"https","name":"https","port":443,"protocol":"TCP","targetPort":"https","nodePort":31877}],
           "selector":{"app.kubernetes.io/component":"controller","app.kubernetes.io/name":"ingress-nginx"},
           "sessionAffinity":"None","allocateLoadBalancerNodePorts":true},
         "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}
        """#

    @Test func serviceLosesAllocatedAddressesAndPorts() throws {
        let (service, status) = try Self.created(rules.prepare(try JSONValue(parsing: Self.loadBalancer), resource: "services"))
        let expected = try JSONValue(parsing: #"""
            {"apiVersion":"v1","kind":"Service",
             "metadata":{"name":"ingress-nginx-controller","namespace":"ingress-nginx-copy",
               "labels":{"app.kubernetes.io/component":"controller","app.kubernetes.io/name":"ingress-nginx",
                         "velero.io/backup-name":"nightly","velero.io/restore-name":"nightly-20250301"}},
             "spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
               "ports":[{"appProtocol":"http","name":"http","port":80,"protocol":"TCP","targetPort":"http"},
                        {"appProtocol":"https","name":"https","port":443,"protocol":"TCP","targetPort":"https"}],
               "selector":{"app.kubernetes.io/component":"controller","app.kubernetes.io/name":"ingress-nginx"},
               "sessionAffinity":"None","allocateLoadBalancerNodePorts":true}}
            """#)
        #expect(service == expected)
        #expect(status == nil)
    }

    @Test func preserveNodePortsKeepsPortsButNotTheClusterIP() throws {
        let rules = try Self.rules(preserveNodePorts: true)
        let (service, _) = try Self.created(rules.prepare(try JSONValue(parsing: Self.loadBalancer), resource: "services"))
        #expect(service["spec"]?["ports"]?.arrayValue?.map { $0["nodePort"] } == [30412, 31877])
        #expect(service["spec"]?["healthCheckNodePort"] == 31945)
        #expect(service["spec"]?["clusterIP"] == nil)
        #expect(service["spec"]?["clusterIPs"] == nil)
    }

    @Test func healthCheckPortStaysUnlessTrafficPolicyIsLocal() throws {
        var service = try JSONValue(parsing: Self.loadBalancer)
        service["spec"]?["externalTrafficPolicy"] = "Cluster"
        let (prepared, _) = try Self.created(rules.prepare(service, resource: "services"))
        #expect(prepared["spec"]?["healthCheckNodePort"] == 31945)
    }

    @Test func headlessServiceKeepsClusterIPNone() throws {
        let service = try JSONValue(parsing: #"""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"alertmanager-operated","namespace":"monitoring"},
             "spec":{"clusterIP":"None","clusterIPs":["None"],"type":"ClusterIP",
               "ports":[{"name":"web","port":9093,"protocol":"TCP","targetPort":"web"}],"selector":{"app.kubernetes.io/name":"alertmanager"}}}
            """#)
        let (prepared, _) = try Self.created(rules.prepare(service, resource: "services"))
        #expect(prepared["spec"]?["clusterIP"] == "None")
        #expect(prepared["spec"]?["clusterIPs"] == ["None"])
    }

    /// `kubectl apply` of a manifest that fixes the http node port (by name) and, for the unnamed port, 8443's.
    @Test func nodePortsInTheLastAppliedConfigurationStay() throws {
        let applied = #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"ingress-nginx"},"spec":{"type":"NodePort","#
            + #""ports":[{"name":"http","port":80,"nodePort":30080},{"name":"metrics","port":9100},{"port":8443,"nodePort":"30443"}]}}"#
        var service: JSONValue = [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "web", "namespace": "ingress-nginx",
                         "annotations": ["kubectl.kubernetes.io/last-applied-configuration": .string(applied)]],
            "spec": ["type": "NodePort", "clusterIP": "10.96.0.12", "ports": [
                ["name": "http", "port": 80, "protocol": "TCP", "nodePort": 30080],
                ["name": "metrics", "port": 9100, "protocol": "TCP", "nodePort": 32001],
                ["port": 8443, "protocol": "TCP", "nodePort": 30443],
                ["port": 8080, "protocol": "TCP", "nodePort": 31999],
            ]],
        ]
        let (prepared, _) = try Self.created(rules.prepare(service, resource: "services"))
        #expect(prepared["spec"]?["ports"]?.arrayValue?.map { $0["nodePort"] } == [30080, nil, 30443, nil])
        // The annotation is the record of the owner's intent; it is restored unchanged.
        #expect(prepared["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"] == .string(applied))

        // With the annotation present Velero ignores managed fields for node ports.
        service["metadata"]?["managedFields"] = [["manager": "kubectl", "fieldsV1": ["f:spec": ["f:ports": [
            #"k:{"port":8080,"protocol":"TCP"}"#: ["f:nodePort": [:]],
        ]]]]]
        let (again, _) = try Self.created(rules.prepare(service, resource: "services"))
        #expect(again["spec"]?["ports"]?.arrayValue?.map { $0["nodePort"] } == [30080, nil, 30443, nil])
    }

    @Test func nodePortsOwnedInManagedFieldsStayWithoutTheAnnotation() throws {
        let service = try JSONValue(parsing: #"""
            {"apiVersion":"v1","kind":"Service",
             "metadata":{"name":"dns","namespace":"kube-system","managedFields":[
               {"manager":"kubectl-create","operation":"Update","fieldsType":"FieldsV1",
                "fieldsV1":{"f:spec":{"f:ports":{"k:{\"port\":53,\"protocol\":\"UDP\"}":{".":{},"f:nodePort":{},"f:port":{}},
                                                 "k:{\"port\":53,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}},
                                      "f:healthCheckNodePort":{}}}}]},
             "spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","healthCheckNodePort":32100,"clusterIP":"10.96.0.10",
               "ports":[{"name":"dns","port":53,"protocol":"UDP","nodePort":30053},
                        {"name":"dns-tcp","port":53,"protocol":"TCP","nodePort":30054}]}}
            """#)
        let (prepared, _) = try Self.created(rules.prepare(service, resource: "services"))
        #expect(prepared["spec"]?["ports"]?.arrayValue?.map { $0["nodePort"] } == [30053, nil])
        #expect(prepared["spec"]?["healthCheckNodePort"] == 32100)
        #expect(prepared["metadata"]?["managedFields"]?.arrayValue?.count == 1)
    }

    @Test func healthCheckPortInTheLastAppliedConfigurationStays() throws {
        var service = try JSONValue(parsing: Self.loadBalancer)
        let applied = #"{"spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","healthCheckNodePort":31945,"ports":[{"name":"http","port":80}]}}"#
        service["metadata"]?["annotations"] = ["kubectl.kubernetes.io/last-applied-configuration": .string(applied)]
        let (prepared, _) = try Self.created(rules.prepare(service, resource: "services"))
        #expect(prepared["spec"]?["healthCheckNodePort"] == 31945)
        #expect(prepared["spec"]?["ports"]?.arrayValue?.map { $0["nodePort"] } == [nil, nil])
    }

    @Test func unparsableLastAppliedConfigurationCountsAsAbsent() throws {
        var service = try JSONValue(parsing: Self.loadBalancer)
        service["metadata"]?["annotations"] = ["kubectl.kubernetes.io/last-applied-configuration": "{not json"]
        let (prepared, _) = try Self.created(rules.prepare(service, resource: "services"))
        #expect(prepared["spec"]?["ports"]?.arrayValue?.map { $0["nodePort"] } == [nil, nil])
    }

    @Test func liveServiceWithNewAllocationsComparesEqual() throws {
        let rules = try Self.rules(mapping: ["ingress-nginx": "ingress-nginx-copy"], restoreName: "nightly-20250302")
        let (prepared, _) = try Self.created(rules.prepare(try JSONValue(parsing: Self.loadBalancer), resource: "services"))
        // What an earlier restore of the same backup left in the cluster.
        var live = try JSONValue(parsing: Self.loadBalancer)
        live["metadata"] = try JSONValue(parsing: #"""
            {"name":"ingress-nginx-controller","namespace":"ingress-nginx-copy","uid":"ffffffff-0000-0000-0000-000000000000",
             "resourceVersion":"77","creationTimestamp":"2025-03-02T01:00:00Z",
             "labels":{"app.kubernetes.io/component":"controller","app.kubernetes.io/name":"ingress-nginx",
                       "velero.io/backup-name":"nightly","velero.io/restore-name":"nightly-20250301"},
             "managedFields":[{"manager":"lifeboat","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{}}}]}
            """#)
        live["spec"]?["clusterIP"] = "10.96.200.1"
        live["spec"]?["clusterIPs"] = ["10.96.200.1"]
        live["spec"]?["healthCheckNodePort"] = 30001
        live["spec"]?["ports"] = [
            ["appProtocol": "http", "name": "http", "port": 80, "protocol": "TCP", "targetPort": "http", "nodePort": 32000],
            ["appProtocol": "https", "name": "https", "port": 443, "protocol": "TCP", "targetPort": "https", "nodePort": 32001],
        ]
        live["status"] = ["loadBalancer": [:]]
        #expect(rules.comparable(prepared: prepared) == rules.comparable(live: live, resource: "services"))
        #expect(rules.comparable(live: live, resource: "services")["metadata"]?["labels"]?["velero.io/restore-name"] == "nightly-20250302")

        live["spec"]?["selector"] = ["app.kubernetes.io/name": "something-else"]
        #expect(rules.comparable(prepared: prepared) != rules.comparable(live: live, resource: "services"))
    }

    // MARK: - Service accounts

    static let serviceAccount = #"""
        {"apiVersion":"v1","kind":"ServiceAccount",
         "metadata":{"name":"prometheus-k8s","namespace":"monitoring","uid":"12121212-0000-0000-0000-000000000000",
           "labels":{"app.kubernetes.io/name":"prometheus"}},
         "automountServiceAccountToken":false,
         "secrets":[{"name":"prometheus-k8s-token-8w2kd"},{"name":"prometheus-k8s-remote-write"}],
         "imagePullSecrets":[{"name":"registry"}]}
        """#

    @Test func serviceAccountDropsItsGeneratedTokenSecrets() throws {
        let (account, _) = try Self.created(rules.prepare(try JSONValue(parsing: Self.serviceAccount), resource: "serviceaccounts"))
        #expect(account["secrets"] == [["name": "prometheus-k8s-remote-write"]])
        #expect(account["imagePullSecrets"] == [["name": "registry"]])
        #expect(account["automountServiceAccountToken"] == false)

        var onlyToken = try JSONValue(parsing: Self.serviceAccount)
        onlyToken["secrets"] = [["name": "prometheus-k8s-token-8w2kd"]]
        let (bare, _) = try Self.created(rules.prepare(onlyToken, resource: "serviceaccounts"))
        #expect(bare.objectValue?.keys.sorted() == ["apiVersion", "automountServiceAccountToken", "imagePullSecrets", "kind", "metadata"])
    }

    @Test func serviceAccountsCompareWithoutTheirSecrets() throws {
        let (prepared, _) = try Self.created(rules.prepare(try JSONValue(parsing: Self.serviceAccount), resource: "serviceaccounts"))
        var live = try JSONValue(parsing: Self.serviceAccount)
        live["metadata"]?["namespace"] = "monitoring-dr"
        live["metadata"]?["uid"] = "34343434-0000-0000-0000-000000000000"
        live["secrets"] = [["name": "prometheus-k8s-token-zz9q1"]]
        #expect(rules.comparable(prepared: prepared) == rules.comparable(live: live, resource: "serviceaccounts"))
        #expect(rules.comparable(prepared: prepared)["secrets"] == nil)
        live["imagePullSecrets"] = [["name": "other-registry"]]
        #expect(rules.comparable(prepared: prepared) != rules.comparable(live: live, resource: "serviceaccounts"))
    }

    // MARK: - RBAC

    @Test(arguments: ["rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io"])
    func bindingSubjectNamespacesAreMapped(resource: String) throws {
        let binding = try JSONValue(parsing: #"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
             "metadata":{"name":"prometheus-k8s","uid":"56565656-0000-0000-0000-000000000000"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"prometheus-k8s"},
             "subjects":[{"kind":"ServiceAccount","name":"prometheus-k8s","namespace":"monitoring"},
                         {"kind":"ServiceAccount","name":"ingress-nginx","namespace":"ingress-nginx"},
                         {"kind":"ServiceAccount","name":"coredns","namespace":"kube-system"},
                         {"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:monitoring"}]}
            """#)
        let (prepared, _) = try Self.created(rules.prepare(binding, resource: resource))
        #expect(prepared["subjects"] == [
            ["kind": "ServiceAccount", "name": "prometheus-k8s", "namespace": "monitoring-dr"],
            ["kind": "ServiceAccount", "name": "ingress-nginx", "namespace": "ingress-nginx-copy"],
            ["kind": "ServiceAccount", "name": "coredns", "namespace": "kube-system"],
            ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:monitoring"],
        ])
        #expect(prepared["metadata"] == ["name": "prometheus-k8s", "labels": Self.restoreLabels])
    }

    // MARK: - Namespaces

    @Test func namespaceObjectGetsTheMappedName() throws {
        let namespace = try JSONValue(parsing: #"""
            {"apiVersion":"v1","kind":"Namespace",
             "metadata":{"name":"monitoring","uid":"78787878-0000-0000-0000-000000000000","labels":{"kubernetes.io/metadata.name":"monitoring","team":"obs"}},
             "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
            """#)
        let (prepared, status) = try Self.created(rules.prepare(namespace, resource: "namespaces"))
        #expect(prepared == [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": ["name": "monitoring-dr", "labels": [
                "kubernetes.io/metadata.name": "monitoring-dr", "team": "obs",
                "velero.io/backup-name": "nightly", "velero.io/restore-name": "nightly-20250301",
            ]],
            "spec": ["finalizers": ["kubernetes"]],
        ])
        #expect(status == nil)

        var unmapped = namespace
        unmapped["metadata"]?["name"] = "kube-public"
        unmapped["metadata"]?["labels"] = ["kubernetes.io/metadata.name": "kube-public"]
        let (same, _) = try Self.created(rules.prepare(unmapped, resource: "namespaces"))
        #expect(same["metadata"]?["name"] == "kube-public")
        #expect(same["metadata"]?["labels"]?["kubernetes.io/metadata.name"] == "kube-public")
    }

    @Test func unmappedNamespacesAndClusterScopedObjectsStayWhereTheyAre() throws {
        let configMap = try JSONValue(parsing: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"coredns","namespace":"kube-system"},"data":{"Corefile":".:53 {}"}}"#)
        let (mapped, _) = try Self.created(rules.prepare(configMap, resource: "configmaps"))
        #expect(mapped["metadata"]?["namespace"] == "kube-system")
        #expect(mapped["data"] == ["Corefile": ".:53 {}"])

        let role = try JSONValue(parsing: #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"view-metrics"},"rules":[]}"#)
        let (clusterScoped, _) = try Self.created(rules.prepare(role, resource: "clusterroles.rbac.authorization.k8s.io"))
        #expect(clusterScoped["metadata"] == ["name": "view-metrics", "labels": Self.restoreLabels])
    }

    // MARK: - Generic reset and status

    @Test func everyItemIsResetAndKeepsItsManagedFields() throws {
        let deployment = try JSONValue(parsing: ItemResetTests.deployment)
        let (prepared, status) = try Self.created(rules.prepare(deployment, resource: "deployments.apps"))
        let metadata = try #require(prepared["metadata"]?.objectValue)
        #expect(metadata.keys.sorted() == ["annotations", "finalizers", "labels", "managedFields", "name", "namespace"])
        #expect(metadata["namespace"] == "monitoring-dr")
        #expect(metadata["labels"]?["velero.io/restore-name"] == "nightly-20250301")
        #expect(metadata["managedFields"]?.arrayValue?.count == 1)
        #expect(prepared["status"] == nil)
        #expect(status == nil)
        // Only the comparison leaves them out.
        #expect(rules.comparable(prepared: prepared)["metadata"]?["managedFields"] == nil)
        #expect(rules.comparable(prepared: prepared)["metadata"]?["name"] == "kube-state-metrics")
    }

    @Test func statusIsReturnedForTheResourcesRestoreStatusSelects() throws {
        let selected = IncludesExcludes(includes: [try GlobPattern("deployments.apps")], excludes: [])
        let rules = try Self.rules(restoreStatus: selected)
        let deployment = try JSONValue(parsing: ItemResetTests.deployment)
        let (prepared, status) = try Self.created(rules.prepare(deployment, resource: "deployments.apps"))
        #expect(status == ["observedGeneration": 3, "replicas": 1, "readyReplicas": 1, "availableReplicas": 1])
        #expect(prepared["status"] == nil)

        let (_, podStatus) = try Self.created(rules.prepare(try JSONValue(parsing: Self.pod), resource: "pods"))
        #expect(podStatus == nil)

        let excluding = IncludesExcludes(includes: [], excludes: [try GlobPattern("deployments.*")])
        let (_, excluded) = try Self.created(try Self.rules(restoreStatus: excluding).prepare(deployment, resource: "deployments.apps"))
        #expect(excluded == nil)
    }

    @Test func restoreStatusAnnotationDecidesForItsObject() throws {
        var deployment = try JSONValue(parsing: ItemResetTests.deployment)
        deployment["metadata"]?["annotations"]?["velero.io/restore-status"] = "true"
        let (_, forced) = try Self.created(rules.prepare(deployment, resource: "deployments.apps"))
        #expect(forced?["readyReplicas"] == 1)

        deployment["metadata"]?["annotations"]?["velero.io/restore-status"] = "false"
        let selecting = try Self.rules(restoreStatus: IncludesExcludes(includes: [try GlobPattern("*")], excludes: []))
        let (_, suppressed) = try Self.created(selecting.prepare(deployment, resource: "deployments.apps"))
        #expect(suppressed == nil)

        deployment["metadata"]?["annotations"]?["velero.io/restore-status"] = "maybe"
        let (_, fallback) = try Self.created(selecting.prepare(deployment, resource: "deployments.apps"))
        #expect(fallback?["replicas"] == 1)
    }

    @Test func theBackedUpObjectIsNotChanged() throws {
        let original = try JSONValue(parsing: Self.loadBalancer)
        _ = rules.prepare(original, resource: "services")
        #expect(original == (try JSONValue(parsing: Self.loadBalancer)))
    }
}

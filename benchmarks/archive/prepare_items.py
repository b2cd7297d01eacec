#!/usr/bin/env python3
"""Turns ../shared/corpus/ manifests into benchmark input for benchmarks/archive/run.sh.

Writes, into the output directory:
  corpus.jsonl  one line per corpus object: {"gr","apiVersion","kind","namespace","json"}
  tree/         N items laid out as a Velero 1.1.0 tarball's files (metadata/version, the unversioned
                and the <ver>-preferredversion copy of each item), for the `tar czf` baseline.
Item i is corpus object i % len(corpus), renamed to "<name>-<i>", exactly as the Swift side does.
"""
import glob
import json
import os
import sys

import yaml

IRREGULAR = {"Endpoints": "endpoints", "NetworkPolicy": "networkpolicies", "Ingress": "ingresses",
             "IngressClass": "ingressclasses", "PriorityClass": "priorityclasses", "StorageClass": "storageclasses",
             "VolumeSnapshotClass": "volumesnapshotclasses", "VolumeGroupSnapshotClass": "volumegroupsnapshotclasses",
             "VolumeAttributesClass": "volumeattributesclasses", "CephNFS": "cephnfses"}


def plural(kind):
    if kind in IRREGULAR:
        return IRREGULAR[kind]
    lower = kind.lower()
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    if lower.endswith(("s", "x", "ch", "sh")):
        return lower + "es"
    return lower + "s"


def main():
    corpus_dir, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    objects = []
    for path in sorted(glob.glob(os.path.join(corpus_dir, "*", "*.yaml"))):
        with open(path) as handle:
            for doc in yaml.load_all(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
                if not doc:
                    continue
                api_version, kind = doc["apiVersion"], doc["kind"]
                group = api_version.split("/")[0] if "/" in api_version else ""
                gr = plural(kind) + ("." + group if group else "")
                cluster_scoped = kind in ("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
                                          "PersistentVolume", "StorageClass", "PriorityClass", "APIService",
                                          "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
                                          "ValidatingAdmissionPolicyBinding", "IngressClass", "VolumeSnapshotClass",
                                          "VolumeGroupSnapshotClass", "VolumeAttributesClass", "CSIDriver", "Driver")
                namespace = None if cluster_scoped else doc.get("metadata", {}).get("namespace", "default")
                objects.append({"gr": gr, "apiVersion": api_version, "kind": kind, "namespace": namespace,
                                "json": json.dumps(doc, separators=(",", ":"), sort_keys=True, default=str)})
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "corpus.jsonl"), "w") as handle:
        for obj in objects:
            handle.write(json.dumps(obj) + "\n")

    tree = os.path.join(out_dir, "tree")
    os.makedirs(os.path.join(tree, "metadata"), exist_ok=True)
    with open(os.path.join(tree, "metadata", "version"), "w") as handle:
        handle.write("1.1.0\n")
    made = set()
    total = 0
    for i in range(count):
        obj = objects[i % len(objects)]
        doc = json.loads(obj["json"])
        doc.setdefault("metadata", {})["name"] = "%s-%d" % (doc["metadata"].get("name", "item"), i)
        body = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
        version = obj["apiVersion"].split("/")[-1]
        scope = "cluster" if obj["namespace"] is None else "namespaces/" + obj["namespace"]
        for base in ("resources/%s/%s" % (obj["gr"], scope), "resources/%s/%s-preferredversion/%s" % (obj["gr"], version, scope)):
            directory = os.path.join(tree, base)
            if directory not in made:
                os.makedirs(directory, exist_ok=True)
                made.add(directory)
            with open(os.path.join(directory, doc["metadata"]["name"] + ".json"), "wb") as handle:
                handle.write(body)
            total += len(body)
    print("prepared %d corpus objects, %d items, %.1f MB of item JSON (both copies)" % (len(objects), count, total / 1e6))


if __name__ == "__main__":
    main()

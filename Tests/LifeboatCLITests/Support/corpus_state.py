"""The shared corpus as kubectl sees it, for the CLI round-trip tests (CorpusRoundTripTests.swift).

    corpus_state.py prepare CORPUS SEED_DIR IDENTITIES      lay the corpus out for `kubesim --seed` (plus the
                                                            namespaces it references but does not define) and
                                                            write the identity of every corpus object
    corpus_state.py snapshot KUBECONFIG IDENTITIES OUT [--map SRC:DST ...] [--namespaces NS,...] [--skip-cluster]
                                                            `kubectl get -o json` of every corpus object (in the
                                                            mapped namespace), normalised: server-set fields out
    corpus_state.py compare BEFORE AFTER [--map SRC:DST ...] [--except KEY ...]
                                                            exit 1 and print each difference unless equal
    corpus_state.py delete KUBECONFIG IDENTITIES            delete every corpus object with kubectl

Normalising removes what the API server sets and a restore legitimately changes (velero-reference.md §6):
uid, resourceVersion, creationTimestamp, generation, managedFields, selfLink, status, Service cluster IPs and
node ports, and the velero.io/backup-name and velero.io/restore-name labels a restore adds.
"""
import json
import os
import shutil
import subprocess
import sys

import yaml

BUILT_IN_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}


def kubectl(kubeconfig, *args, check=True):
    cache = os.path.join(os.path.dirname(os.path.abspath(kubeconfig)), "kubectl-cache")
    result = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", cache, *args],
                            capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        sys.exit(f"kubectl {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def resource_type(api_version, kind):
    if "/" in api_version:
        group, version = api_version.split("/", 1)
        return f"{kind.lower()}.{version}.{group}"
    return kind.lower()


def prepare(corpus, seed_dir, identities_path):
    identities, defined, referenced = [], set(), set()
    for app in sorted(os.listdir(corpus)):
        source = os.path.join(corpus, app)
        if not os.path.isdir(source):
            continue
        for name in sorted(os.listdir(source)):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(source, name)
            os.makedirs(os.path.join(seed_dir, app), exist_ok=True)
            shutil.copy(path, os.path.join(seed_dir, app, name))
            with open(path) as handle:
                for doc in yaml.safe_load_all(handle):
                    if not doc:
                        continue
                    meta = doc["metadata"]
                    if doc["kind"] == "Namespace":
                        defined.add(meta["name"])
                    namespace = meta.get("namespace")
                    identities.append({"apiVersion": doc["apiVersion"], "kind": doc["kind"], "name": meta["name"],
                                       "namespace": namespace, "file": f"{app}/{name}"})
                    if namespace:
                        referenced.add(namespace)
    # Which kinds are namespaced: a namespaced object written without a namespace lands in `default`.
    scoped = set()
    for identity in identities:
        if identity["namespace"]:
            scoped.add((identity["apiVersion"], identity["kind"]))
    missing = sorted(referenced - defined - BUILT_IN_NAMESPACES)
    with open(os.path.join(seed_dir, "00-namespaces.yaml"), "w") as handle:
        handle.write("\n---\n".join(f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}" for ns in missing) + "\n")
    with open(identities_path, "w") as handle:
        json.dump({"objects": identities, "extraNamespaces": missing}, handle)


def normalise(item):
    item = json.loads(json.dumps(item))
    meta = item.get("metadata", {})
    for key in ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"):
        meta.pop(key, None)
    labels = meta.get("labels") or {}
    for key in ("velero.io/backup-name", "velero.io/restore-name"):
        labels.pop(key, None)
    if not labels:
        meta.pop("labels", None)
    item.pop("status", None)
    if item.get("kind") == "Service" and item.get("apiVersion") == "v1":
        spec = item.get("spec", {})
        if spec.get("clusterIP") != "None":
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        spec.pop("healthCheckNodePort", None)
        for port in spec.get("ports", []) or []:
            port.pop("nodePort", None)
    return item


def parse_maps(args):
    mapping, rest, index = {}, [], 0
    while index < len(args):
        if args[index] == "--map":
            source, target = args[index + 1].split(":", 1)
            mapping[source] = target
            index += 2
        else:
            rest.append(args[index])
            index += 1
    return mapping, rest


def option(args, name):
    if name in args:
        return args[args.index(name) + 1]
    return None


def key_of(identity, namespace):
    return f"{identity['apiVersion']}/{identity['kind']}/{namespace or ''}/{identity['name']}"


def snapshot(kubeconfig, identities_path, out, args):
    mapping, rest = parse_maps(args)
    only = option(rest, "--namespaces")
    only = set(only.split(",")) if only else None
    skip_cluster = "--skip-cluster" in rest
    objects = json.load(open(identities_path))["objects"]
    types = sorted({resource_type(o["apiVersion"], o["kind"]) for o in objects})
    live = {}
    items = []
    for start in range(0, len(types), 20):
        batch = types[start:start + 20]
        output = kubectl(kubeconfig, "get", ",".join(batch), "-A", "-o", "json", check=False)
        if not output.strip():
            # A type the cluster no longer serves (its CRD is gone) fails the whole batch: ask one by one.
            output = "".join(kubectl(kubeconfig, "get", kind, "-A", "-o", "json", check=False) or '{"items": []}' for kind in batch)
            decoder, position, documents = json.JSONDecoder(), 0, []
            while position < len(output):
                document, position = decoder.raw_decode(output, position)
                documents.append(document)
                while position < len(output) and output[position].isspace():
                    position += 1
            for document in documents:
                items.extend(document["items"])
        else:
            items.extend(json.loads(output)["items"])
    for item in items:
        meta = item["metadata"]
        live[f"{item['apiVersion']}/{item['kind']}/{meta.get('namespace') or ''}/{meta['name']}"] = item
    # Namespaced kinds: any identity that names a namespace, or any live item of the kind that has one.
    namespaced_kinds = set()
    for item in live.values():
        if item["metadata"].get("namespace"):
            namespaced_kinds.add((item["apiVersion"], item["kind"]))
    for o in objects:
        if o["namespace"]:
            namespaced_kinds.add((o["apiVersion"], o["kind"]))
    state = {}
    for o in objects:
        is_namespaced = (o["apiVersion"], o["kind"]) in namespaced_kinds
        source_namespace = (o["namespace"] or "default") if is_namespaced else None
        if only is not None and (source_namespace not in only):
            continue
        if skip_cluster and source_namespace is None:
            continue
        target_namespace = mapping.get(source_namespace, source_namespace) if source_namespace else None
        found = live.get(key_of(o, target_namespace))
        source_key = key_of(o, source_namespace)
        if found is None:
            state[source_key] = None
            continue
        normal = normalise(found)
        if target_namespace:
            normal["metadata"]["namespace"] = source_namespace  # compare as if unmapped
        if mapping and o["kind"] in ("RoleBinding", "ClusterRoleBinding"):
            # A restore maps subject namespaces too (velero-reference.md §6.2); compare as if unmapped.
            reverse = {target: source for source, target in mapping.items()}
            for subject in normal.get("subjects") or []:
                if subject.get("namespace") in reverse:
                    subject["namespace"] = reverse[subject["namespace"]]
        state[source_key] = normal
    with open(out, "w") as handle:
        json.dump(state, handle, sort_keys=True)
    present = sum(1 for value in state.values() if value is not None)
    print(f"{present} of {len(state)} corpus objects present")


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a:
                out.append(f"{path}.{key}: added")
            elif key not in b:
                out.append(f"{path}.{key}: removed")
            else:
                out.extend(diff(a[key], b[key], f"{path}.{key}"))
        return out
    if a != b:
        return [f"{path}: {json.dumps(a)[:120]} -> {json.dumps(b)[:120]}"]
    return []


def compare(before_path, after_path, args):
    _, rest = parse_maps(args)
    excepted = {rest[i + 1] for i, arg in enumerate(rest) if arg == "--except"}
    before, after = json.load(open(before_path)), json.load(open(after_path))
    problems, compared = [], 0
    for key, original in sorted(before.items()):
        if key in excepted:
            continue
        if original is None:
            problems.append(f"{key}: missing before the backup")
            continue
        compared += 1
        restored = after.get(key)
        if restored is None:
            problems.append(f"{key}: missing after the restore")
            continue
        for line in diff(original, restored):
            problems.append(f"{key}{line}")
    print(f"compared {compared} objects, {len(problems)} differences")
    for line in problems[:50]:
        print(line)
    sys.exit(1 if problems else 0)


def delete(kubeconfig, identities_path):
    data = json.load(open(identities_path))
    objects = data["objects"]
    namespaces = {o["name"] for o in objects if o["kind"] == "Namespace"} | set(data["extraNamespaces"])
    by_target = {}
    for o in objects:
        if o["kind"] == "Namespace":
            continue
        namespace = o["namespace"]
        if namespace and namespace in namespaces:
            continue  # goes with its namespace
        by_target.setdefault((resource_type(o["apiVersion"], o["kind"]), namespace), []).append(o["name"])
    for (kind, namespace), names in sorted(by_target.items(), key=lambda e: (e[0][0].startswith("customresourcedefinition."), e[0][0], e[0][1] or "")):
        args = ["delete", kind, *names, "--ignore-not-found", "--wait=true"]
        if namespace:
            args += ["-n", namespace]
        kubectl(kubeconfig, *args)
    kubectl(kubeconfig, "delete", "namespace", *sorted(namespaces), "--ignore-not-found", "--wait=true")


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "prepare":
        prepare(*args[:3])
    elif command == "snapshot":
        snapshot(args[0], args[1], args[2], args[3:])
    elif command == "compare":
        compare(args[0], args[1], args[2:])
    elif command == "delete":
        delete(args[0], args[1])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Offline schema check of rendered Kubernetes manifests (kubeconform and
kubeval are not available here): every object's apiVersion and kind are
known, the fields each kind needs are present and consistent, and the
references between objects resolve.

    kubectl kustomize deploy/k8s/overlays/mtls | deploy/check_manifests.py

Prints one line per object and exits 1 listing every problem found.
"""
import sys

import yaml

KNOWN = {
    ("v1", "Namespace"), ("v1", "Service"), ("v1", "Secret"),
    ("v1", "PersistentVolumeClaim"), ("apps/v1", "Deployment"),
    ("batch/v1", "Job"),
}


class Checker:
    def __init__(self):
        self.problems = []

    def need(self, ok, where, what):
        if not ok:
            self.problems.append(f"{where}: {what}")
        return ok


def get(obj, path):
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def check_probe(c, where, probe, container_ports):
    if probe is None:
        return
    kinds = [k for k in ("grpc", "httpGet", "tcpSocket", "exec") if k in probe]
    c.need(len(kinds) == 1, where, f"exactly one probe handler, got {kinds}")
    if "grpc" in probe:
        port = get(probe, "grpc.port")
        c.need(isinstance(port, int) and 0 < port < 65536, where,
               f"grpc probe port must be a port number, got {port!r}")


def check_pod_spec(c, where, spec, volumes_ok=True):
    containers = (spec.get("containers") or []) + (spec.get("initContainers") or [])
    c.need(len(spec.get("containers") or []) > 0, where, "no containers")
    names = set()
    volumes = {v.get("name") for v in spec.get("volumes") or []}
    for v in spec.get("volumes") or []:
        kinds = [k for k in v if k != "name"]
        c.need(len(kinds) == 1, f"{where} volume {v.get('name')}",
               f"exactly one volume source, got {kinds}")
    for ct in containers:
        cw = f"{where} container {ct.get('name')}"
        c.need(bool(ct.get("name")), where, "a container without a name")
        c.need(ct.get("name") not in names, cw, "duplicate container name")
        names.add(ct.get("name"))
        c.need(bool(ct.get("image")), cw, "no image")
        for key in ("args", "command"):
            if key in ct:
                c.need(isinstance(ct[key], list) and
                       all(isinstance(a, str) for a in ct[key]), cw,
                       f"{key} must be a list of strings")
        ports = ct.get("ports") or []
        for p in ports:
            c.need(isinstance(p.get("containerPort"), int), cw,
                   "containerPort must be a number")
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            check_probe(c, f"{cw} {probe}", ct.get(probe), ports)
        for m in ct.get("volumeMounts") or []:
            c.need(m.get("name") in volumes, cw,
                   f"mounts unknown volume {m.get('name')!r}")
            c.need(str(m.get("mountPath", "")).startswith("/"), cw,
                   "mountPath must be absolute")
        if "restartPolicy" in ct:
            c.need(ct in (spec.get("initContainers") or []) and
                   ct["restartPolicy"] == "Always", cw,
                   "only init containers may set restartPolicy (Always: a "
                   "native sidecar)")


def main():
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d is not None]
    c = Checker()
    c.need(len(docs) > 0, "input", "no objects")
    by_kind = {}
    for d in docs:
        kind, api = d.get("kind"), d.get("apiVersion")
        name = get(d, "metadata.name")
        where = f"{kind}/{name}"
        c.need((api, kind) in KNOWN, where, f"unknown {api} {kind}")
        c.need(bool(name), where, "metadata.name missing")
        if kind != "Namespace":
            c.need(bool(get(d, "metadata.namespace")), where,
                   "metadata.namespace missing")
        by_kind.setdefault(kind, {})[name] = d
        print(f"{api} {kind} {name}")
    secrets = by_kind.get("Secret", {})
    claims = by_kind.get("PersistentVolumeClaim", {})
    for name, d in by_kind.get("Deployment", {}).items():
        where = f"Deployment/{name}"
        selector = get(d, "spec.selector.matchLabels") or {}
        labels = get(d, "spec.template.metadata.labels") or {}
        c.need(bool(selector), where, "spec.selector.matchLabels missing")
        c.need(all(labels.get(k) == v for k, v in selector.items()), where,
               "the selector does not match the template's labels")
        c.need(isinstance(get(d, "spec.replicas"), int), where,
               "spec.replicas must be a number")
        check_pod_spec(c, where, get(d, "spec.template.spec") or {})
    for name, d in by_kind.get("Job", {}).items():
        where = f"Job/{name}"
        spec = get(d, "spec.template.spec") or {}
        c.need(spec.get("restartPolicy") in ("Never", "OnFailure"), where,
               "a Job's pods need restartPolicy Never or OnFailure")
        check_pod_spec(c, where, spec)
    for kind in ("Deployment", "Job"):
        for name, d in by_kind.get(kind, {}).items():
            for v in get(d, "spec.template.spec.volumes") or []:
                if "secret" in v:
                    c.need(get(v, "secret.secretName") in secrets,
                           f"{kind}/{name}", "refers to a missing Secret "
                           f"{get(v, 'secret.secretName')!r}")
                if "persistentVolumeClaim" in v:
                    c.need(get(v, "persistentVolumeClaim.claimName") in claims,
                           f"{kind}/{name}", "refers to a missing claim")
    for name, d in by_kind.get("Service", {}).items():
        where = f"Service/{name}"
        ports = get(d, "spec.ports") or []
        c.need(len(ports) > 0, where, "no ports")
        selector = get(d, "spec.selector") or {}
        targets = [dep for dep in by_kind.get("Deployment", {}).values()
                   if all((get(dep, "spec.template.metadata.labels") or {})
                          .get(k) == v for k, v in selector.items())]
        c.need(len(targets) > 0, where, "selects no Deployment's pods")
        for p in ports:
            tp = p.get("targetPort")
            if isinstance(tp, str):
                named = {q.get("name") for dep in targets
                         for ct in get(dep, "spec.template.spec.containers") or []
                         for q in ct.get("ports") or []}
                c.need(tp in named, where, f"targetPort {tp!r} is no container port")
    for name, d in claims.items():
        where = f"PersistentVolumeClaim/{name}"
        c.need(bool(get(d, "spec.accessModes")), where, "spec.accessModes missing")
        c.need(bool(get(d, "spec.resources.requests.storage")), where,
               "spec.resources.requests.storage missing")
    for name, d in secrets.items():
        c.need(bool(d.get("data") or d.get("stringData")), f"Secret/{name}",
               "no data")
    for p in c.problems:
        print("problem:", p, file=sys.stderr)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())

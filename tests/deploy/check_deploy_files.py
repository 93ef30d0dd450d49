#!/usr/bin/env python3
"""Offline checks of deploy/k8s and packaging/Dockerfile (no cluster, no Docker): the fields #24 asks for.

Usage: check_deploy_files.py SOURCE_DIR TRANCHE_BINARY. Prints one line per failed assertion and exits 1, or
prints what it checked and exits 0. PyYAML comes from Debian's python3-yaml (scripts/install-deps.sh).
"""
import json
import os
import re
import shlex
import subprocess
import sys

import yaml

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def load_yaml_docs(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def check_job(src):
    path = os.path.join(src, "deploy/k8s/tranche-node-job.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    docs = [d for d in yaml.safe_load_all(text.replace("@NODE@", "gpu-007")) if d]
    check(len(docs) == 1, "job file: one document")
    job = docs[0]
    check(job["apiVersion"] == "batch/v1" and job["kind"] == "Job", "job: batch/v1 Job")
    check(job["metadata"]["name"] == "tranche-gpu-007", "job: name from @NODE@")
    spec = job["spec"]
    check(spec.get("backoffLimit") == 0, "job: backoffLimit 0")
    check(isinstance(spec.get("ttlSecondsAfterFinished"), int) and spec["ttlSecondsAfterFinished"] > 0,
          "job: ttlSecondsAfterFinished set")
    pod = spec["template"]["spec"]
    check(pod.get("restartPolicy") == "Never", "pod: restartPolicy Never")
    check(pod.get("nodeSelector") == {"kubernetes.io/hostname": "gpu-007"}, "pod: pinned to the node")
    check(pod.get("serviceAccountName") == "tranche", "pod: service account tranche")
    keys = {(t.get("key"), t.get("effect")) for t in pod.get("tolerations", [])}
    check(("nvidia.com/gpu", "NoSchedule") in keys, "pod: tolerates nvidia.com/gpu")
    check(("tranche.io/unhealthy", "NoSchedule") in keys, "pod: tolerates its own taint")
    containers = pod.get("initContainers", []) + pod.get("containers", [])
    check(len(containers) == 2, "pod: measure and label containers")
    for c in containers:
        sc = c.get("securityContext", {})
        check(sc.get("privileged") is False, f"{c['name']}: not privileged")
        check(sc.get("allowPrivilegeEscalation") is False, f"{c['name']}: no privilege escalation")
        check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{c['name']}: capabilities dropped")
    measure = pod["initContainers"][0]
    gpus = measure.get("resources", {}).get("limits", {}).get("nvidia.com/gpu")
    check(isinstance(gpus, int) and gpus >= 1, "measure: requests the node's GPUs")
    mounts = {m["name"]: m["mountPath"] for m in measure.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    check(mounts.get("results") == "/results", "measure: results mounted at /results")
    check(volumes.get("results", {}).get("hostPath", {}).get("path") == "/var/lib/tranche/results",
          "results: hostPath /var/lib/tranche/results")
    script = "\n".join(measure.get("args", []))
    check("tranche run --profile" in script and "tranche k8s label" in script and "--taint" in script,
          "measure: runs tranche and writes the label commands")
    env = {e["name"]: e for e in measure.get("env", [])}
    check(env.get("NODE_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName",
          "measure: NODE_NAME from the downward API")
    profile = env.get("TRANCHE_PROFILE", {}).get("value", "")
    check(os.path.exists(os.path.join(src, "baselines/profiles", profile + ".json")),
          f"measure: profile {profile!r} exists")
    label = pod["containers"][0]
    check("/work/label.sh" in " ".join(label.get("args", [])), "label: applies /work/label.sh")


def check_rbac(src):
    docs = load_yaml_docs(os.path.join(src, "deploy/k8s/namespace-rbac.yaml"))
    kinds = {d["kind"]: d for d in docs}
    check(set(kinds) == {"Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"}, "rbac: the four kinds")
    rules = kinds["ClusterRole"]["rules"]
    check(rules == [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "patch"]}],
          "rbac: nodes get and patch only")
    binding = kinds["ClusterRoleBinding"]
    check(binding["roleRef"]["name"] == kinds["ClusterRole"]["metadata"]["name"], "rbac: binding names the role")
    check(binding["subjects"] == [{"kind": "ServiceAccount", "name": "tranche", "namespace": "tranche"}],
          "rbac: binding names the service account")


def check_npd(src, tranche):
    with open(os.path.join(src, "deploy/k8s/npd-tranche-monitor.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    check(cfg["plugin"] == "custom", "npd: custom plugin")
    check(cfg["pluginConfig"]["max_output_length"] == 80, "npd: 80-byte output")
    seconds = lambda s: int(re.fullmatch(r"(\d+)s", s).group(1)) if s.endswith("s") and "m" not in s else None
    conditions = {c["type"] for c in cfg["conditions"]}
    for rule in cfg["rules"]:
        # node-problem-detector refuses a rule whose timeout exceeds the global one, and a permanent rule
        # without a default condition (pkg/custompluginmonitor/types/config.go, Validate).
        check(seconds(rule["timeout"]) is not None and seconds(rule["timeout"]) <= seconds(cfg["pluginConfig"]["timeout"]),
              "npd: rule timeout within the global timeout")
        check(rule["type"] != "permanent" or rule["condition"] in conditions, "npd: condition has a default")
        args = rule["args"]
        check(args[:1] == ["run"] and "--exit-style" in args and args[args.index("--exit-style") + 1] == "npd",
              "npd: tranche run --exit-style npd")
        profile = args[args.index("--profile") + 1]
        check(os.path.exists(os.path.join(src, "baselines/profiles", profile + ".json")), f"npd: profile {profile}")
    help_text = subprocess.run([tranche, "run", "--help"], capture_output=True, text=True).stdout
    check("--exit-style" in help_text, "tranche run has --exit-style")


def dockerfile_instructions(path):
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    out, pending = [], ""
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            line = pending + line
            pending = ""
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def exec_form(text):
    """The JSON array of an exec-form instruction, or the text itself (shell form)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def check_dockerfile(src):
    ins = dockerfile_instructions(os.path.join(src, "packaging/Dockerfile"))
    args = {}
    for word, rest in ins:
        if word == "ARG" and "=" in rest:
            k, v = rest.split("=", 1)
            args[k] = v
    expand = lambda s: re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), s)
    froms = [expand(rest).split() for word, rest in ins if word == "FROM"]
    check(len(froms) == 2, "dockerfile: two stages")
    check(args.get("CUDA_VERSION", "").startswith("13."), "dockerfile: CUDA 13")
    if len(froms) == 2:
        check(re.fullmatch(r"nvidia/cuda:13\.\d+\.\d+-devel-ubuntu\d+\.\d+", froms[0][0]) is not None and
              froms[0][1:] == ["AS", "build"], "dockerfile: stage 1 is the CUDA 13 devel image, named build")
        check(re.fullmatch(r"nvidia/cuda:13\.\d+\.\d+-runtime-ubuntu\d+\.\d+", froms[1][0]) is not None,
              "dockerfile: stage 2 is the CUDA 13 runtime image")
        check(froms[0][0].split("-", 1)[1].split("-")[1] == froms[1][0].split("-", 1)[1].split("-")[1],
              "dockerfile: both stages on the same Ubuntu")
    stages = [f[2] for f in froms if len(f) == 3]
    copies_from = [re.search(r"--from=(\S+)", rest).group(1) for word, rest in ins
                   if word == "COPY" and "--from=" in rest]
    check(copies_from and all(s in stages for s in copies_from), "dockerfile: COPY --from names a stage")
    last_stage = max(i for i, (w, _) in enumerate(ins) if w == "FROM")
    entry = [exec_form(rest) for i, (w, rest) in enumerate(ins) if w == "ENTRYPOINT" and i > last_stage]
    check(entry == [["tranche"]], "dockerfile: ENTRYPOINT [\"tranche\"] in the runtime stage (exec form)")
    runs = " ".join(rest for w, rest in ins if w == "RUN")
    preset = re.search(r"cmake --preset (\S+)", runs)
    with open(os.path.join(src, "CMakePresets.json"), encoding="utf-8") as f:
        presets = {p["name"] for p in json.load(f)["configurePresets"]}
    check(preset is not None and preset.group(1) in presets, "dockerfile: builds with an existing preset")
    with open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8") as f:
        cmake = f.read()
    for opt in re.findall(r"-D(TRANCHE_\w+)=", runs):
        check(f"option({opt} " in cmake, f"dockerfile: {opt} is a CMake option")
    for word, rest in ins:
        if word == "RUN" and "apt-get install" in rest:
            check("--no-install-recommends" in rest and "rm -rf /var/lib/apt/lists" in rest,
                  "dockerfile: apt-get install without recommends, lists removed")
    return len(ins)


def main():
    src, tranche = sys.argv[1], sys.argv[2]
    check_job(src)
    check_rbac(src)
    check_npd(src, tranche)
    n = check_dockerfile(src)
    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"ok: Job, RBAC, node-problem-detector config and Dockerfile ({n} instructions) pass their offline checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())

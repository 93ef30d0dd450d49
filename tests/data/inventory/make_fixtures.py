#!/usr/bin/env python3
"""Writes the SYNTHETIC inventory fixtures of this folder: a healthy 8x H100 SXM5 80GB HGX node and variants that
each differ from it in exactly one fact. No real node was probed (the machine these were made on has no GPU);
values follow public H100 SXM5 datasheet figures and typical `nvidia-smi -q` output. Re-run after a schema change:
    python3 tests/data/inventory/make_fixtures.py
"""
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BUS = ["18", "2A", "3A", "5D", "9A", "AB", "BA", "DB"]
NOTE = "SYNTHETIC fixture (not probed from a real node): {}"


def gpu(i):
    bus = "00000000:%s:00.0" % BUS[i]
    numa = 0 if i < 4 else 1
    return {
        "index": i, "nvml_index": i, "cuda_visible": True,
        "name": "NVIDIA H100 80GB HBM3",
        "uuid": "GPU-5f3c1a2e-7b4d-4c1e-9a0f-%012x" % (0x1a2b3c4d5e00 + i),
        "serial": "165422304%04d" % (1180 + i),
        "board_part_number": "692-2G520-0200-000",
        "pci_bus_id": bus,
        "pci_device_id": "0x233010DE", "pci_subsystem_id": "0x16C110DE",
        "vbios": "96.00.99.00.01", "architecture": "hopper",
        "memory_bytes": 81559 * 1024 * 1024, "sm_count": 132, "compute_capability": "9.0",
        # Idle: the link has downshifted to Gen1; width stays x16. Max is what the SKU is judged on.
        "pcie": {"max_generation": 5, "max_width": 16, "current_generation": 1, "current_width": 16},
        "power": {"limit_w": 700.0, "default_limit_w": 700.0, "enforced_limit_w": 700.0},
        "clocks": {"max_sm_hz": 1980e6, "max_memory_hz": 2619e6},
        "ecc": {"enabled": True, "pending_enabled": True, "volatile_corrected": 0, "volatile_uncorrected": 0,
                "aggregate_corrected": 0, "aggregate_uncorrected": 0},
        "retired_pages": {"single_bit": None, "double_bit": None, "pending": None},
        "row_remap": {"correctable": 0, "uncorrectable": 0, "pending": False, "failure": False},
        "persistence_mode": True, "compute_mode": "default",
        "mig": {"enabled": False, "pending_enabled": False},
        "throttle": {"mask": 1, "reasons": ["gpu_idle"]},
        "temperature": {"gpu_c": 31.0 + i, "slowdown_c": 87.0, "shutdown_c": 92.0},
        "nvlinks": [{"link": l, "active": True, "version": 4, "remote_bus_id": None, "remote_type": "switch",
                     "replay_errors": 0, "recovery_errors": 0, "crc_flit_errors": 0, "crc_data_errors": 0}
                    for l in range(18)],
        "processes": [],
        "numa_node": numa, "cpu_affinity": "0-55,112-167" if numa == 0 else "56-111,168-223",
        "unavailable": {"retired_pages.single_bit": "not supported", "retired_pages.double_bit": "not supported",
                        "retired_pages.pending": "not supported"},
    }


def topology(gpus):
    k = len(gpus)
    links = [sum(1 for l in g["nvlinks"] if l["active"]) for g in gpus]
    nv = [[0 if i == j else min(links[i], links[j]) for j in range(k)] for i in range(k)]
    cells = [["X" if i == j else "NV%d" % nv[i][j] for j in range(k)] for i in range(k)]
    return {"gpus": [g["index"] for g in gpus], "cells": cells, "nvlinks": nv}


def healthy():
    gpus = [gpu(i) for i in range(8)]
    return {
        "fixture_note": NOTE.format("healthy 8x H100 SXM5 80GB HGX node, every preflight rule passes"),
        "schema": "tranche/inventory/v1",
        "node": {"hostname": "hgx-h100-a01", "kernel": "Linux 6.8.0-60-generic",
                 "cpu_model": "Intel(R) Xeon(R) Platinum 8480+", "numa_nodes": 2,
                 "driver_version": "580.65.06", "nvml_version": "13.580.65.06",
                 "cuda_driver_version": 13000, "cuda_runtime_version": 13000, "tranche_pid": 4242,
                 "nvml_error": None, "device_error": None, "unavailable": {}},
        "gpus": gpus,
        "topology": topology(gpus),
    }


def variant(name, note, change):
    inv = healthy()
    inv["fixture_note"] = NOTE.format(note)
    change(inv)
    inv["topology"] = topology(inv["gpus"])
    # One line per NVLink and per topology row keeps the files readable (and small).
    compact = {}
    for g in inv["gpus"]:
        for k, link in enumerate(g["nvlinks"]):
            token = "@@%d@@" % len(compact)
            compact[token] = json.dumps(link)
            g["nvlinks"][k] = token
    for key in ("cells", "nvlinks"):
        for k, row in enumerate(inv["topology"][key]):
            token = "@@%d@@" % len(compact)
            compact[token] = json.dumps(row)
            inv["topology"][key][k] = token
    text = json.dumps(inv, indent=1)
    for token, value in compact.items():
        text = text.replace('"%s"' % token, value)
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        f.write(text + "\n")


def pcie_x8(inv):
    inv["gpus"][5]["pcie"]["current_width"] = 8


def ecc_off(inv):
    inv["gpus"][1]["ecc"]["enabled"] = False
    inv["gpus"][1]["ecc"]["pending_enabled"] = False


def remap_pending(inv):
    g = inv["gpus"][3]
    g["row_remap"]["uncorrectable"] = 1
    g["row_remap"]["pending"] = True
    g["ecc"]["aggregate_uncorrected"] = 1  # the error behind the remap, from before this driver load


def nvlink_down(inv):
    inv["gpus"][4]["nvlinks"][7]["active"] = False


def foreign_process(inv):
    inv["gpus"][2]["processes"] = [{"pid": 48213, "used_memory_bytes": 1288 * 1024 * 1024, "name": "python3"}]


def mixed_sku(inv):
    g = inv["gpus"][6]
    g["name"] = "NVIDIA H200"
    g["pci_device_id"] = "0x233510DE"
    g["pci_subsystem_id"] = "0x18BE10DE"
    g["memory_bytes"] = 143771 * 1024 * 1024
    g["board_part_number"] = "692-2G520-0280-000"


def seven_gpus(inv):
    del inv["gpus"][7]  # GPU 7 fell off the bus


variant("healthy_hgx_h100", "healthy 8x H100 SXM5 80GB HGX node, every preflight rule passes", lambda inv: None)
variant("pcie_x8", "GPU 5 trained its PCIe link at x8 (max x16)", pcie_x8)
variant("ecc_off", "GPU 1 has ECC disabled (current and pending)", ecc_off)
variant("row_remap_pending", "GPU 3 has a row remap pending (needs a GPU reset)", remap_pending)
variant("nvlink_down", "GPU 4 NVLink 7 is down (17 of 18 active)", nvlink_down)
variant("foreign_process", "GPU 2 runs a foreign compute process (pid 48213)", foreign_process)
variant("mixed_sku", "GPU 6 is an H200 in an H100 node", mixed_sku)
variant("seven_gpus", "only 7 GPUs are visible (GPU 7 is missing)", seven_gpus)

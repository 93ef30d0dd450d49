// PCIe link state from NVML and sysfs: parsing, the read, and a sampler thread for readings under load.
#include "harness/gpu/pcie_link_probe.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>

#include "harness/gpu/nvml_api.h"

namespace tranche {

namespace {
std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

void keep_max(std::optional<int>& dst, const std::optional<int>& v) {
  if (v && (!dst || *v > *dst)) dst = v;
}
}  // namespace

std::optional<int> pcie_generation_from_speed(std::string_view sysfs_speed) {
  const std::string_view s = trim(sysfs_speed);
  double gts = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), gts);
  if (ec != std::errc{} || std::string_view(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr)).find("GT/s") ==
                               std::string_view::npos) {
    return std::nullopt;
  }
  struct Step {
    double gts;
    int gen;
  };
  constexpr Step kSteps[] = {{2.5, 1}, {5.0, 2}, {8.0, 3}, {16.0, 4}, {32.0, 5}, {64.0, 6}, {128.0, 7}};
  for (const auto& st : kSteps) {
    if (gts > st.gts * 0.95 && gts < st.gts * 1.05) return st.gen;
  }
  return std::nullopt;
}

std::optional<int> pcie_width_from_sysfs(std::string_view text) {
  const std::string_view s = trim(text);
  int w = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), w);
  if (ec != std::errc{} || ptr != s.data() + s.size() || w <= 0) return std::nullopt;
  return w;
}

std::optional<std::string> sysfs_pci_address(std::string_view id) {
  const auto colon = id.find(':');
  if (colon == std::string_view::npos || colon == 0 || id.size() - colon != 8) return std::nullopt;
  std::string domain(id.substr(0, colon));
  const std::string_view rest = id.substr(colon);  // ":18:00.0"
  if (rest[3] != ':' || rest[6] != '.') return std::nullopt;
  for (char c : domain) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  while (domain.size() > 4 && domain.front() == '0') domain.erase(0, 1);
  while (domain.size() < 4) domain.insert(0, "0");
  std::string out = domain + std::string(rest);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i :
       {domain.size() + 1, domain.size() + 2, domain.size() + 4, domain.size() + 5, domain.size() + 7}) {
    if (!std::isxdigit(static_cast<unsigned char>(out[i]))) return std::nullopt;
  }
  return out;
}

namespace {

// NVML's view of the link (exact also in virtual machines, where sysfs may show a virtual bridge). Fills only
// what NVML answers; returns false when NVML is absent or does not know the device.
bool read_pcie_link_nvml(const std::string& pci_bus_id, PcieLinkState& st) {
  ErrorInfo err;
  const nvml::Api* api = nvml::load(&err);
  if (!api || !api->device_get_handle_by_pci_bus_id) return false;
  nvml::Device dev = nullptr;
  if (api->device_get_handle_by_pci_bus_id(pci_bus_id.c_str(), &dev) != nvml::kSuccess) return false;
  auto read = [&](auto fn, std::optional<int>& out) {
    unsigned v = 0;
    if (fn && fn(dev, &v) == nvml::kSuccess && v > 0) out = static_cast<int>(v);
  };
  read(api->device_get_curr_pcie_link_generation, st.generation);
  read(api->device_get_curr_pcie_link_width, st.width);
  read(api->device_get_max_pcie_link_generation, st.max_generation);
  read(api->device_get_max_pcie_link_width, st.max_width);
  if (!st.generation && !st.width) return false;
  st.source = "nvml";
  return true;
}

}  // namespace

PcieLinkState read_pcie_link(int /*cuda_ordinal*/, const std::string& pci_bus_id, const std::string& sysfs_root) {
  PcieLinkState st;
  if (read_pcie_link_nvml(pci_bus_id, st) && st.generation && st.width && st.max_generation && st.max_width) {
    return st;
  }
  const auto addr = sysfs_pci_address(pci_bus_id);
  if (!addr) {
    st.note = "PCI bus id '" + pci_bus_id + "' is not in domain:bus:device.function form";
    return st;
  }
  // sysfs fills what NVML did not answer.
  const std::string dir = sysfs_root + "/" + *addr + "/";
  if (st.source.empty()) st.source = "sysfs";
  auto fill = [&](std::optional<int>& field, const char* file, auto parse) {
    if (field) return;
    if (auto t = read_text(dir + file)) field = parse(*t);
  };
  fill(st.generation, "current_link_speed", pcie_generation_from_speed);
  fill(st.width, "current_link_width", pcie_width_from_sysfs);
  fill(st.max_generation, "max_link_speed", pcie_generation_from_speed);
  fill(st.max_width, "max_link_width", pcie_width_from_sysfs);
  if (!st.generation || !st.width) {
    st.note = "PCIe link state not readable from NVML or " + dir + " (no such device here, or a virtual function)";
  }
  return st;
}

std::optional<int> read_pci_numa_node(const std::string& pci_bus_id, const std::string& sysfs_root) {
  const auto addr = sysfs_pci_address(pci_bus_id);
  if (!addr) return std::nullopt;
  const auto t = read_text(sysfs_root + "/" + *addr + "/numa_node");
  if (!t) return std::nullopt;
  const std::string_view s = trim(*t);
  int node = -1;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), node);
  if (ec != std::errc{} || node < 0) return std::nullopt;
  return node;
}

PcieLinkSampler::PcieLinkSampler(int cuda_ordinal, std::string pci_bus_id, int period_ms, std::string sysfs_root)
    : ordinal_(cuda_ordinal),
      bus_id_(std::move(pci_bus_id)),
      period_ms_(period_ms < 1 ? 1 : period_ms),
      sysfs_root_(std::move(sysfs_root)) {
  sample();
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(period_ms_));
      sample();
    }
  });
}

PcieLinkSampler::~PcieLinkSampler() { stop(); }

void PcieLinkSampler::sample() {
  const PcieLinkState s = read_pcie_link(ordinal_, bus_id_, sysfs_root_);
  std::lock_guard lock(mu_);
  keep_max(best_.generation, s.generation);
  keep_max(best_.width, s.width);
  keep_max(best_.max_generation, s.max_generation);
  keep_max(best_.max_width, s.max_width);
  best_.note = s.note;
  best_.source = s.source;
}

PcieLinkState PcieLinkSampler::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  return best_;
}

}  // namespace tranche

// libFuzzer target: what `tranche run` does with its command line before anything runs: --checks selection,
// --set conversion to each parameter's type, --gpus, and TRANCHE_FAULT. Input: NUL-separated fields
// "checks\0set-key\0set-value\0gpus\0fault".
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/fault.h"
#include "harness/core/plan.h"

namespace {

// Two checks with every parameter type the planner converts, so --set reaches each conversion.
class TypedCheck final : public tranche::Check {
 public:
  explicit TypedCheck(std::string id) : info_{std::move(id), "fuzz", tranche::Scope::gpu,
                                             {{"n", 4, "B", ""}, {"x", 1.5, "", ""}, {"s", "a", "", ""},
                                              {"b", true, "", ""}, {"l", nlohmann::json::array({1, 2}), "B", ""}},
                                             {}, 10.0, 1} {
    info_.metrics = {info_.id + "/v"};
  }
  const tranche::CheckInfo& info() const override { return info_; }
  tranche::Measurement run(tranche::RunContext&) override { return {}; }

 private:
  tranche::CheckInfo info_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> f(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      f.emplace_back();
    } else {
      f.back() += static_cast<char>(data[i]);
    }
  }
  f.resize(5);
  static tranche::CheckRegistry registry = [] {
    tranche::CheckRegistry r;
    r.add([] { return std::make_unique<TypedCheck>("fam.one"); });
    r.add([] { return std::make_unique<TypedCheck>("fam.two"); });
    return r;
  }();
  tranche::SystemInfo sys;
  for (int g = 0; g < 2; ++g) sys.gpus.push_back(tranche::GpuInfo{g});
  tranche::Profile profile;
  profile.name = "fuzz";
  profile.checks = {{"fam.", {}, true}};
  try {
    tranche::PlanOptions o;
    if (!f[0].empty()) o.checks = f[0];
    if (!f[1].empty()) o.overrides[f[1]] = f[2];
    if (!f[3].empty()) {
      std::vector<int> gpus;
      for (char c : f[3]) gpus.push_back(static_cast<unsigned char>(c) - '0');
      o.gpus = gpus;
    }
    tranche::make_plan(registry, sys, profile, o);
  } catch (const tranche::InputError&) {
  }
  try {
    tranche::parse_faults(f[4]);
  } catch (const tranche::InputError&) {
  }
  return 0;
}

// The NVML declarations' pure parts: the NVLink version code table and the struct version word.
#include "harness/gpu/nvml_api.h"

#include <gtest/gtest.h>

namespace tranche {
namespace {

TEST(NvmlApi, NvLinkVersionCodesMapToGenerations) {
  // nvmlNvlinkVersion_t: 2.2 and 3.1 share their major with 2.0 and 3.0.
  EXPECT_FALSE(nvml::nvlink_generation(0).has_value());  // NVML_NVLINK_VERSION_INVALID
  EXPECT_EQ(nvml::nvlink_generation(1), 1);
  EXPECT_EQ(nvml::nvlink_generation(3), 2);
  EXPECT_EQ(nvml::nvlink_generation(4), 3);  // A100
  EXPECT_EQ(nvml::nvlink_generation(5), 3);
  EXPECT_EQ(nvml::nvlink_generation(6), 4);  // H100
  EXPECT_EQ(nvml::nvlink_generation(7), 5);  // B200
  EXPECT_EQ(nvml::nvlink_generation(8), 6);
  EXPECT_FALSE(nvml::nvlink_generation(9).has_value());  // newer than the table: unknown, not guessed
}

TEST(NvmlApi, TemperatureStructVersionWord) {
  EXPECT_EQ(nvml::kTemperatureV1Version, 0x0100000Cu);  // NVML_STRUCT_VERSION(Temperature, 1)
}

}  // namespace
}  // namespace tranche

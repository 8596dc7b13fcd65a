// pcie://BDF: clear errors when the device is absent or malformed, and the MMIO path itself
// on a fake sysfs tree whose resource0 is a plain file (mmap works on both).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "ebpf_csr_map.h"
#include "ebpf_fpga/bus.h"
#include "ebpf_fpga/device.h"
#include "transport_test_util.h"

namespace ebpf {
namespace {

TEST(Pcie, AbsentDevice) {
  try {
    Bus::open("pcie://0000:7f:1f.7");
    FAIL() << "opened";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ENODEV);
    EXPECT_EQ(std::string(e.what()),
              "pcie://0000:7f:1f.7: no PCI device 0000:7f:1f.7 (/sys/bus/pci/devices/"
              "0000:7f:1f.7 does not exist; `lspci -D` lists the devices)");
  }
}

class FakeSysfs : public ::testing::Test {
 protected:
  void SetUp() override {
    dev_ = dir_.path() / "0000:03:00.0";
    std::filesystem::create_directories(dev_);
  }
  void make_bar(size_t bytes) {
    const int fd = ::open((dev_ / "resource0").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(bytes)), 0);
    ::close(fd);
  }
  BusOpts opts() const { return BusOpts{.sysfs_pci_root = dir_.path().string()}; }
  test::TempDir dir_;
  std::filesystem::path dev_;
};

TEST_F(FakeSysfs, DeviceWithoutBar0) {
  try {
    Bus::open("pcie://03:00.0", opts());
    FAIL() << "opened";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ENODEV);
    EXPECT_EQ(std::string(e.what()), "pcie://03:00.0: PCI device 0000:03:00.0 has no BAR0 (" +
                                         (dev_ / "resource0").string() + " does not exist)");
  }
  make_bar(0);
  try {
    Bus::open("pcie://0000:03:00.0", opts());
    FAIL() << "opened";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -ENODEV);
    EXPECT_NE(std::string(e.what()).find("BAR0 of 0000:03:00.0 has no size"), std::string::npos);
  }
}

TEST_F(FakeSysfs, MmioRoundTripsAndBounds) {
  make_bar(1 << 20);
  auto bus = Bus::open("pcie://0000:03:00.0", opts());
  EXPECT_NE(bus->describe().find("1024 KiB"), std::string::npos) << bus->describe();
  bus->write(0x40, 0xcafef00d);
  bus->write64(0x100, 0x0102'0304'0506'0708ull);
  EXPECT_EQ(bus->read(0x40), 0xcafef00du);
  EXPECT_EQ(bus->read64(0x100), 0x0102'0304'0506'0708ull);
  try {
    bus->read(1 << 20);
    FAIL() << "read beyond BAR0";
  } catch (const BusError& e) {
    EXPECT_EQ(e.code(), -EFAULT);
    EXPECT_EQ(std::string(e.what()),
              "pcie://0000:03:00.0: read 0x00100000: beyond BAR0 (1048576 bytes)");
  }
  // A BAR full of zeros is not an eBPF core; one with the capability block written is.
  try {
    Device::open("pcie://0000:03:00.0", {.bus = opts()});
    FAIL() << "opened a BAR of zeros";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the ID register reads 0x00000000"), std::string::npos);
  }
  bus->write(csr::kId, csr::kCoreId);
  bus->write(csr::kVersion, csr::kCoreVersion);
  bus->write(csr::kImemSlots, 1024);
  Device dev = Device::open("pcie://0000:03:00.0", {.bus = opts()});
  EXPECT_EQ(dev.info().imem_slots, 1024u);
  EXPECT_NE(dev.info().transport.find("PCIe BAR0 MMIO of 0000:03:00.0"), std::string::npos);
}

// Root opens any file, so the check runs in a child that has become `nobody`.
TEST_F(FakeSysfs, PermissionDenied) {
  make_bar(4096);
  std::filesystem::permissions(dev_ / "resource0", std::filesystem::perms::owner_read |
                                                       std::filesystem::perms::owner_write);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    try {
      Bus::open("pcie://0000:03:00.0", opts());
    } catch (const BusError& e) {
      const std::string want = "pcie://0000:03:00.0: permission denied opening " +
                               (dev_ / "resource0").string() +
                               " (BAR0 MMIO needs root, or write access to that file)";
      ::_exit(e.code() == -EACCES && e.what() == want ? 0 : 1);
    }
    ::_exit(2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: wrong error, 2: opened, 3: could not drop root";
}

}  // namespace
}  // namespace ebpf

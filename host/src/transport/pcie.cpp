// pcie://BDF: MMIO on BAR0 through the sysfs resource file, mapped into this process.
// Writes are posted; a flush without reads ends with a read (BusOpts::fence_addr) so that it
// returns only when the writes have reached the device, as PCIe ordering guarantees.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "transports.h"

namespace ebpf::transport {
namespace {

// "0000:01:00.0" from "0000:01:00.0" or "01:00.0"; empty when malformed.
std::string normalize_bdf(std::string_view s) {
  std::string t;
  for (char c : s) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t.size() == 7) t = "0000:" + t;
  auto hex = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (!std::isxdigit(static_cast<unsigned char>(t[i]))) return false;
    }
    return true;
  };
  if (t.size() != 12 || t[4] != ':' || t[7] != ':' || t[10] != '.' || !hex(0, 4) ||
      !hex(5, 2) || !hex(8, 2) || t[11] < '0' || t[11] > '7' ||
      std::stoi(t.substr(8, 2), nullptr, 16) > 0x1f) {
    return {};
  }
  return t;
}

class PcieMmioBus final : public Bus {
 public:
  PcieMmioBus(const Uri& uri, const BusOpts& opts, const std::string& bdf)
      : Bus(uri.text), opts_(opts), bdf_(bdf) {
    const std::string dir = opts.sysfs_pci_root + "/" + bdf;
    struct stat st{};
    if (::stat(dir.c_str(), &st) != 0) {
      throw BusError(-ENODEV, uri.text + ": no PCI device " + bdf + " (" + dir +
                                  " does not exist; `lspci -D` lists the devices)");
    }
    path_ = dir + "/resource0";
    fd_ = ::open(path_.c_str(), O_RDWR | O_SYNC | O_CLOEXEC);
    if (fd_ < 0) {
      const int e = errno;
      if (e == ENOENT) {
        throw BusError(-ENODEV, uri.text + ": PCI device " + bdf + " has no BAR0 (" + path_ +
                                    " does not exist)");
      }
      if (e == EACCES || e == EPERM) {
        throw BusError(-EACCES, uri.text + ": permission denied opening " + path_ +
                                    " (BAR0 MMIO needs root, or write access to that file)");
      }
      throw BusError(-e, uri.text + ": cannot open " + path_ + ": " + std::strerror(e));
    }
    if (::fstat(fd_, &st) != 0 || st.st_size <= 0) {
      ::close(fd_);
      throw BusError(-ENODEV, uri.text + ": BAR0 of " + bdf + " has no size (" + path_ +
                                  "; is the device enabled?)");
    }
    size_ = static_cast<size_t>(st.st_size);
    void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) {
      const int e = errno;
      ::close(fd_);
      throw BusError(e == EACCES || e == EPERM ? -EACCES : -EIO,
                     uri.text + ": cannot map " + path_ + ": " + std::strerror(e) +
                         (e == EPERM ? " (the kernel may lock down /dev/mem-style access)" : ""));
    }
    base_ = static_cast<volatile uint32_t*>(p);
  }

  ~PcieMmioBus() override {
    ::munmap(const_cast<uint32_t*>(base_), size_);
    ::close(fd_);
  }

  std::string describe() const override {
    return "PCIe BAR0 MMIO of " + bdf_ + " (" + path_ + ", " + std::to_string(size_ >> 10) +
           " KiB)";
  }

 protected:
  void do_execute(std::span<BusOp> ops, const FlushOpts&) override {
    bool any_read = false;
    for (BusOp& op : ops) {
      if (static_cast<uint64_t>(op.addr) + 4 > size_) {
        throw BusError(-EFAULT, uri() + ": " + describe_ops({&op, 1}) + ": beyond BAR0 (" +
                                    std::to_string(size_) + " bytes)");
      }
      if (op.kind == BusOp::Kind::kWrite) {
        base_[op.addr / 4] = op.value;
      } else {
        op.value = base_[op.addr / 4];
        any_read = true;
      }
    }
    if (!any_read && static_cast<uint64_t>(opts_.fence_addr) + 4 <= size_) {
      (void)base_[opts_.fence_addr / 4];
    }
  }

 private:
  BusOpts opts_;
  std::string bdf_, path_;
  int fd_ = -1;
  size_t size_ = 0;
  volatile uint32_t* base_ = nullptr;
};

}  // namespace

std::unique_ptr<Bus> open_pcie(const Uri& uri, const BusOpts& opts) {
  BusOpts o = opts;
  apply_query(uri, {"fence", "sysfs"}, o);
  const std::string bdf = normalize_bdf(uri.rest);
  if (bdf.empty()) {
    throw BusError(-EINVAL, uri.text + ": '" + uri.rest +
                                "' is not a PCI address (expected DDDD:BB:DD.F, e.g. "
                                "pcie://0000:01:00.0)");
  }
  return std::make_unique<PcieMmioBus>(uri, o, bdf);
}

}  // namespace ebpf::transport

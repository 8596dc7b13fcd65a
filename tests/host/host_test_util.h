// Shared helpers of the host tool tests: corpus locations, temporary files, running the
// built binaries.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace ebpf::test {

namespace fs = std::filesystem;

inline fs::path conformance_dir() { return fs::path(EBPF_FPGA_CONFORMANCE_DIR); }
inline fs::path conformance_tests() { return conformance_dir() / "tests"; }
inline fs::path conformance_negative() { return conformance_dir() / "negative"; }
inline fs::path isa_tests() { return fs::path(EBPF_FPGA_SOURCE_DIR) / "tests" / "isa"; }

// *.data files directly in `dir`, sorted (empty when the folder is absent).
inline std::vector<fs::path> data_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".data") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
      path_ = fs::temp_directory_path() / ("ebpf_fpga_host_test_" + std::to_string(::getpid()) +
                                           "_" + std::to_string(rd()));
      if (fs::create_directory(path_)) return;
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& p, std::string_view content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct ProcessResult {
  int exit_code = -1;  // -1: did not exit normally (crashed)
  std::string out, err;
};

// Runs `argv` (argv[0] is the binary path) with `input` on stdin.
inline ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input = {}) {
  TempDir tmp;
  const fs::path in = tmp / "stdin", out = tmp / "stdout", err = tmp / "stderr";
  write_file(in, input);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fin = ::open(in.c_str(), O_RDONLY);
    const int fout = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int ferr = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fin < 0 || fout < 0 || ferr < 0) ::_exit(127);
    ::dup2(fin, 0);
    ::dup2(fout, 1);
    ::dup2(ferr, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ProcessResult r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

}  // namespace ebpf::test

// The bpf_conformance `.data` format: `-- NAME` lines open sections (asm, raw, mem, result,
// error; `c` and `no register offset` are ignored); text before the first section is a
// preamble (copyright comments). '#' starts a comment in every section but `error`, whose
// text is kept as written.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ebpf_fpga/asm.h"
#include "ebpf_fpga/conformance.h"
#include "ebpf_fpga/error.h"

namespace ebpf {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view strip_comment(std::string_view s) {
  const size_t h = s.find('#');
  return h == std::string_view::npos ? s : s.substr(0, h);
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

struct Word {
  std::string_view text;
  int line;
};

std::vector<Word> split_words(std::string_view s, int line) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back({s.substr(start, i - start), line});
  }
  return out;
}

// 0x-prefixed hex or decimal (a leading '-' wraps, as strtoull does); nullopt if malformed.
std::optional<uint64_t> parse_u64(std::string_view s) {
  bool neg = false;
  if (!s.empty() && s[0] == '-') {
    neg = true;
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
    if (v > (UINT64_MAX - d) / base) return std::nullopt;
    v = v * base + d;
  }
  return neg ? ~v + 1 : v;
}

enum class Section { Preamble, Asm, Raw, Mem, Result, Error, Ignored };

[[noreturn]] void fail(const std::string& name, int line, const std::string& msg) {
  throw Error(name + ":" + std::to_string(line) + ": " + msg);
}

}  // namespace

DataTest parse_data_text(std::string_view text, const std::string& name) {
  DataTest t;
  t.path = name;
  Section section = Section::Preamble;
  std::vector<Word> raw_words, mem_words, result_words;
  std::vector<std::string> error_lines;
  std::vector<std::pair<std::string, int>> seen;  // section name, line of its directive

  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    const std::string_view trimmed = trim(line);
    if (trimmed.starts_with("--")) {
      const std::string directive(trim(trimmed.substr(2)));
      static const std::pair<std::string_view, Section> kDirectives[] = {
          {"asm", Section::Asm},       {"raw", Section::Raw},
          {"mem", Section::Mem},       {"result", Section::Result},
          {"error", Section::Error},   {"c", Section::Ignored},
          {"no register offset", Section::Ignored},
      };
      auto it = std::find_if(std::begin(kDirectives), std::end(kDirectives),
                             [&](const auto& d) { return d.first == directive; });
      if (it == std::end(kDirectives)) {
        fail(name, line_no,
             "unknown section directive '" + std::string(trimmed) +
                 "' (expected -- asm, raw, mem, result, error, c or no register offset)");
      }
      section = it->second;
      if (section != Section::Ignored) {
        auto prev = std::find_if(seen.begin(), seen.end(),
                                 [&](const auto& s) { return s.first == directive; });
        if (prev != seen.end()) {
          fail(name, line_no, "duplicate '-- " + directive + "' section (first at line " +
                                  std::to_string(prev->second) + ")");
        }
        seen.emplace_back(directive, line_no);
      }
      switch (section) {
        case Section::Asm:
          t.has_asm = true;
          t.asm_first_line = line_no + 1;
          break;
        case Section::Raw:
          t.has_raw = true;
          break;
        case Section::Error: t.error = std::string(); break;
        default: break;
      }
      continue;
    }

    const std::string_view body = strip_comment(line);
    switch (section) {
      case Section::Preamble:
      case Section::Ignored: break;
      case Section::Asm:
        // Keep every line (blank ones too) so assembler messages name the file's lines.
        t.asm_text.append(body);
        t.asm_text += '\n';
        break;
      case Section::Raw: {
        auto w = split_words(body, line_no);
        raw_words.insert(raw_words.end(), w.begin(), w.end());
        break;
      }
      case Section::Mem: {
        auto w = split_words(body, line_no);
        mem_words.insert(mem_words.end(), w.begin(), w.end());
        break;
      }
      case Section::Result: {
        auto w = split_words(body, line_no);
        result_words.insert(result_words.end(), w.begin(), w.end());
        break;
      }
      case Section::Error: {
        const std::string_view e = trim(line);
        if (!e.empty()) error_lines.emplace_back(e);
        break;
      }
    }
  }

  for (const Word& w : mem_words) {
    if (w.text.empty() || w.text.size() > 2 || !std::all_of(w.text.begin(), w.text.end(), is_hex)) {
      fail(name, w.line, "expected a hex byte (00..ff) in the mem section, got '" +
                             std::string(w.text) + "'");
    }
    t.memory.push_back(static_cast<uint8_t>(std::stoul(std::string(w.text), nullptr, 16)));
  }

  if (!result_words.empty()) {
    if (result_words.size() > 1) {
      fail(name, result_words[1].line,
           "expected a single result value, got a second value '" +
               std::string(result_words[1].text) + "'");
    }
    auto v = parse_u64(result_words[0].text);
    if (!v) {
      fail(name, result_words[0].line,
           "expected a 64-bit result (0x-prefixed hex or decimal), got '" +
               std::string(result_words[0].text) + "'");
    }
    t.result = *v;
  }
  if (t.error) {
    for (size_t k = 0; k < error_lines.size(); ++k) {
      if (k) *t.error += '\n';
      *t.error += error_lines[k];
    }
  }
  if (!t.result && !t.error) {
    throw Error(name + ": no '-- result' or '-- error' section: nothing to check");
  }

  if (t.has_raw) {
    const bool bytes = !raw_words.empty() && std::all_of(raw_words.begin(), raw_words.end(),
                                                         [](const Word& w) {
                                                           return w.text.size() == 2 &&
                                                                  is_hex(w.text[0]) &&
                                                                  is_hex(w.text[1]);
                                                         });
    if (bytes) {
      if (raw_words.size() % 8 != 0) {
        const size_t off = raw_words.size() - raw_words.size() % 8;
        fail(name, raw_words[off].line,
             "raw section has " + std::to_string(raw_words.size()) +
                 " bytes, not a multiple of 8: truncated instruction at byte offset " +
                 std::to_string(off));
      }
      std::vector<uint8_t> b;
      for (const Word& w : raw_words) {
        b.push_back(static_cast<uint8_t>(std::stoul(std::string(w.text), nullptr, 16)));
      }
      t.program = from_bytes(b);
    } else {
      for (const Word& w : raw_words) {
        // One instruction per token: a 64-bit word, 0x-prefixed hex or decimal.
        std::optional<uint64_t> v;
        if (w.text[0] != '-') v = parse_u64(w.text);
        if (!v) {
          fail(name, w.line,
               "expected a 64-bit instruction word (0x-prefixed hex or decimal) in the raw "
               "section, got '" + std::string(w.text) + "'");
        }
        t.program.push_back(Insn::from_raw(*v));
      }
    }
  } else if (t.has_asm) {
    AsmOptions ao;
    ao.source_name = name;
    ao.first_line = t.asm_first_line;
    t.program = assemble(t.asm_text, ao);
  }
  if (t.program.empty()) {
    throw Error(name + ": no instructions (the file has no non-empty '-- asm' or '-- raw' "
                       "section)");
  }
  return t;
}

DataTest parse_data_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Error(path.string() + ": is a directory, not a .data file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read error");
  return parse_data_text(ss.str(), path.string());
}

}  // namespace ebpf

#include "bauhinia/contracts/company/names.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bauhinia::contracts::company {

namespace {

using chain::TxOutcome;

constexpr std::string_view kChineseSuffix = "有限公司";

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_alnum(char c) {
  return is_ascii_letter(c) || (c >= '0' && c <= '9');
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Decodes UTF-8 into code points; false when malformed (overlong forms,
// surrogates and values above U+10FFFF included).
bool decode_utf8(std::string_view s, std::vector<std::uint32_t>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    std::uint32_t cp = 0;
    std::size_t n = 0;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F;
      n = 1;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F;
      n = 2;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07;
      n = 3;
    } else {
      return false;
    }
    if (n > 0 && i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<std::uint8_t>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    out.push_back(cp);
    i += n + 1;
  }
  return true;
}

bool is_cjk(std::uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

// Spaces and punctuation a Chinese name may carry and normalisation ignores.
bool is_chinese_separator(std::uint32_t cp) {
  if (cp < 0x80) return !is_ascii_alnum(static_cast<char>(cp));
  return cp == 0x3000 ||                    // ideographic space
         (cp >= 0x3001 && cp <= 0x3003) ||  // 、。〃
         (cp >= 0x3008 && cp <= 0x3011) ||  // 〈〉《》「」『』【】
         cp == 0x00B7 || cp == 0x30FB ||    // middle dots
         (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

CallResult bad(const char* reason, std::string detail) {
  return CallResult::failure(TxOutcome::kInvalidArgument, reason, std::move(detail));
}

bool ends_with_word(const std::string& lowered, std::string_view word) {
  if (lowered.size() < word.size() || !lowered.ends_with(word)) return false;
  return lowered.size() == word.size() ||
         !is_ascii_alnum(lowered[lowered.size() - word.size() - 1]);
}

std::string trim_right(std::string_view s) {
  std::size_t end = s.size();
  while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '.')) --end;
  return std::string(s.substr(0, end));
}

}  // namespace

std::string normalise_english(std::string_view name) {
  // Words: maximal runs of letters and digits, lower-cased; "&" is the word "and".
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (char c : name) {
    if (is_ascii_alnum(c)) {
      word.push_back(lower(c));
    } else {
      flush();
      if (c == '&') words.emplace_back("and");
    }
  }
  flush();
  std::size_t first = 0;
  if (!words.empty() && words.front() == "the") first = 1;
  std::size_t last = words.size();
  if (last > first && (words[last - 1] == "limited" || words[last - 1] == "ltd")) --last;
  std::string out;
  for (std::size_t i = first; i < last; ++i) out += words[i] == "hk" ? "hongkong" : words[i];
  return out;
}

std::string normalise_chinese(std::string_view name) {
  std::vector<std::uint32_t> cps;
  std::string out;
  if (!decode_utf8(name, cps)) return std::string(name);
  // Re-encode every kept code point.
  for (std::uint32_t cp : cps) {
    if (is_chinese_separator(cp)) continue;
    if (cp < 0x80) {
      out.push_back(lower(static_cast<char>(cp)));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  if (out.ends_with(kChineseSuffix)) out.resize(out.size() - kChineseSuffix.size());
  return out;
}

CallResult check_english_name(std::string_view name, CompanyType type) {
  if (name.size() > kMaxNameSize) return bad("field_too_large", "English name over 256 bytes");
  bool letter = false;
  for (char c : name) {
    const auto u = static_cast<std::uint8_t>(c);
    if (u >= 0x80) {
      return bad("mixed_language_name",
                 "an English name has only Latin characters (a Chinese name is a separate field)");
    }
    if (u < 0x20 || u == 0x7F) return bad("invalid_name", "control character in English name");
    letter = letter || is_ascii_letter(c);
  }
  if (!letter) return bad("invalid_name", "an English name has a letter");
  if (name.front() == ' ' || name.back() == ' ') {
    return bad("invalid_name", "English name begins or ends with a space");
  }
  std::string lowered;
  for (char c : trim_right(name)) lowered.push_back(lower(c));
  const bool limited_word = ends_with_word(lowered, "limited") || ends_with_word(lowered, "ltd");
  if (is_limited(type) && !ends_with_word(lowered, "limited")) {
    return bad("missing_limited_suffix", "a limited company's English name ends in \"Limited\"");
  }
  if (!is_limited(type) && type != CompanyType::kRegisteredNonHongKong && limited_word) {
    return bad("limited_suffix_for_unlimited",
               "an unlimited company's name may not end in \"Limited\"");
  }
  if (normalise_english(name).empty()) {
    return bad("invalid_name", "the name has nothing but its suffix");
  }
  return CallResult::success();
}

CallResult check_chinese_name(std::string_view name, CompanyType type) {
  if (name.size() > kMaxNameSize) return bad("field_too_large", "Chinese name over 256 bytes");
  std::vector<std::uint32_t> cps;
  if (!decode_utf8(name, cps)) return bad("invalid_name", "Chinese name is not valid UTF-8");
  bool cjk = false;
  for (std::uint32_t cp : cps) {
    if (cp < 0x80 && is_ascii_letter(static_cast<char>(cp))) {
      return bad("mixed_language_name",
                 "a Chinese name has no Latin letters (an English name is a separate field)");
    }
    if (cp < 0x20 || cp == 0x7F) return bad("invalid_name", "control character in Chinese name");
    cjk = cjk || is_cjk(cp);
  }
  if (!cjk) return bad("invalid_name", "a Chinese name has a Chinese character");
  std::string compact;
  for (char c : name) {
    if (c != ' ') compact.push_back(c);
  }
  const bool suffix = compact.ends_with(kChineseSuffix);
  if (is_limited(type) && !suffix) {
    return bad("missing_limited_suffix", "a limited company's Chinese name ends in 有限公司");
  }
  if (!is_limited(type) && type != CompanyType::kRegisteredNonHongKong && suffix) {
    return bad("limited_suffix_for_unlimited",
               "an unlimited company's name may not end in 有限公司");
  }
  if (normalise_chinese(name).empty()) {
    return bad("invalid_name", "the name has nothing but its suffix");
  }
  return CallResult::success();
}

bool is_clean_text(std::string_view s) {
  std::vector<std::uint32_t> cps;
  if (!decode_utf8(s, cps)) return false;
  for (std::uint32_t cp : cps) {
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;
  }
  return true;
}

CallResult check_names(std::string_view name_en, std::string_view name_zh, CompanyType type) {
  if (name_en.empty() && name_zh.empty()) {
    return bad("invalid_name", "a company has an English or a Chinese name, or both");
  }
  if (!name_en.empty()) {
    if (CallResult r = check_english_name(name_en, type); !r.ok()) return r;
  }
  if (!name_zh.empty()) {
    if (CallResult r = check_chinese_name(name_zh, type); !r.ok()) return r;
  }
  return CallResult::success();
}

}  // namespace bauhinia::contracts::company

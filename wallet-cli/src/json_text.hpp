#pragma once
// Reading the text fields of JSON the wallet did not write (keystore and
// prepared-transaction files): json::value(key, "") throws type_error when the
// field exists with another type, so absent and mistyped fields read as "".

#include <nlohmann/json.hpp>
#include <string>

namespace bauhinia::wallet::detail {

inline std::string text_or_empty(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace bauhinia::wallet::detail

#pragma once
// The shared parsers of call arguments (`--<name> <value>`), used by every
// module's file in wallet-cli/src/calls/. Each returns the value or a
// Rejection whose detail names the argument and states its rule:
//   "--mark: a trade mark number is 9 digits beginning with 30 ... (got '12345')"
// Rule checks that a module's contracts library exposes (trade mark numbers,
// CR numbers, company names) are made by the module's file with those
// functions, never re-implemented here.
//
// Pattern of a build function (see anchor_calls.cpp):
//   Take take;                                   // keeps the first error
//   p.id = take(parse_u64(args, "id", 1));       // a default value after an error
//   if (take.failed()) return take.error();
//
// Absent optional arguments: parse_optional_* return std::nullopt (or the
// empty value stated). The registry checks unknown and missing required
// arguments against the CallSpec's ArgSpecs before build() runs.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/wallet/call_spec.hpp"

namespace bauhinia::wallet::calls {

// The rejection "--<name>: <rule> (got '<value>')"; the value is cut to 80 bytes.
core::Rejection arg_error(std::string_view name, core::Reject reason, std::string_view rule,
                          std::optional<std::string_view> got = std::nullopt);

// A module's own rule check (a CallResult of its contracts library) as the
// rejection of argument --<name>: "--<name>: <detail> (<reason>)"; nullopt when ok.
std::optional<core::Rejection> module_rule(std::string_view name,
                                           const contracts::CallResult& result);

// The value of --<name> as given, if present.
std::optional<std::string_view> arg_value(const Args& args, std::string_view name);
// The value of --<name>; "--<name>: required" when absent.
core::Checked<std::string_view> required_value(const Args& args, std::string_view name);

// Parsers of a piece of a value (an element of a list, a field of a
// structured argument), reported as argument --<name>.
core::Checked<std::uint64_t> u64_value(std::string_view name, std::string_view text,
                                       std::uint64_t min, std::uint64_t max);
core::Checked<std::string> text_value(std::string_view name, std::string_view text,
                                      std::size_t max_bytes);
std::string_view trim(std::string_view s);  // spaces at both ends removed

// ---- Accounts and keys -------------------------------------------------------
// An account: its address on the production ("hk1...") or a test chain
// ("hktest1..."), Bech32m as core/address.hpp, or the account id as 64 hex digits.
core::Checked<core::AccountId> parse_account(const Args& args, std::string_view name);
core::Checked<std::optional<core::AccountId>> parse_optional_account(const Args& args,
                                                                     std::string_view name);
// A BIP-340 x-only public key (an account or department admin key): 64 hex digits.
core::Checked<core::schnorr::PublicKey> parse_account_key(const Args& args, std::string_view name);
// An Ed25519 public key (a validator's consensus key): 64 hex digits, a curve point.
core::Checked<core::ed25519::PublicKey> parse_validator_key(const Args& args,
                                                            std::string_view name);

// ---- Numbers -------------------------------------------------------------------
// A decimal integer in [min, max]: digits only, no sign, no leading zeros.
core::Checked<std::uint64_t> parse_u64(
    const Args& args, std::string_view name, std::uint64_t min = 0,
    std::uint64_t max = std::numeric_limits<std::uint64_t>::max());
core::Checked<std::optional<std::uint64_t>> parse_optional_u64(
    const Args& args, std::string_view name, std::uint64_t min = 0,
    std::uint64_t max = std::numeric_limits<std::uint64_t>::max());
core::Checked<std::uint32_t> parse_u32(
    const Args& args, std::string_view name, std::uint32_t min = 0,
    std::uint32_t max = std::numeric_limits<std::uint32_t>::max());
// A comma list of decimal integers, each in [min, max], 1..max_count of them
// ("29,30"); spaces around the commas are allowed. Order and repeats are kept
// as given (the module judges them).
core::Checked<std::vector<std::uint64_t>> parse_u64_list(const Args& args, std::string_view name,
                                                         std::uint64_t min, std::uint64_t max,
                                                         std::size_t max_count);

// ---- Dates -----------------------------------------------------------------------
// A calendar date YYYY-MM-DD (a real date, years 1000..9999).
struct CalendarDate {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  std::string to_string() const;  // "YYYY-MM-DD"
};
core::Checked<CalendarDate> parse_date(const Args& args, std::string_view name);
core::Checked<std::optional<CalendarDate>> parse_optional_date(const Args& args,
                                                               std::string_view name);
// A date as the ms value the registers use for dates (trademark/calendar.hpp):
// the start (00:00) of that Hong Kong date, ms since 1970-01-01 UTC. Dates
// from 1970-01-02 (earlier Hong Kong midnights are before 1970 UTC).
core::Checked<std::uint64_t> parse_date_ms(const Args& args, std::string_view name);
core::Checked<std::optional<std::uint64_t>> parse_optional_date_ms(const Args& args,
                                                                   std::string_view name);
// The ms value of `d` as parse_date_ms, or nullopt before 1970-01-02.
std::optional<std::uint64_t> hong_kong_midnight_ms(const CalendarDate& d);

// ---- Hashes ------------------------------------------------------------------------
// A SHA-256 given as --<stem>-hash <64 hex> or computed from --<stem>-file PATH
// (the file's bytes, read whole; at most 1 GiB). Exactly one of the two.
// hash_arg_specs() gives the two ArgSpecs for a CallSpec.
core::Checked<core::Hash256> parse_hash(const Args& args, std::string_view stem);
core::Checked<std::optional<core::Hash256>> parse_optional_hash(const Args& args,
                                                                std::string_view stem);
std::vector<ArgSpec> hash_arg_specs(std::string_view stem, std::string_view what,
                                    bool required = true);
// The arguments with each --<stem>-file PATH replaced by --<stem>-hash <its
// SHA-256>. build() reads the files it is given; a prepared transaction
// stores these arguments instead, so rebuilding it never depends on a file.
core::Checked<Args> with_file_hashes(const Args& args);

// ---- Text, flags and names -----------------------------------------------------------
// Well-formed UTF-8 without control characters, 1..max_bytes bytes.
core::Checked<std::string> parse_text(const Args& args, std::string_view name,
                                      std::size_t max_bytes);
// The same, or "" when absent.
core::Checked<std::string> parse_optional_text(const Args& args, std::string_view name,
                                               std::size_t max_bytes);
// A flag (`--with-goodwill`): absent = false; present with no value, "true"
// or "yes" = true; "false" or "no" = false.
core::Checked<bool> parse_flag(const Args& args, std::string_view name);
// A department code: 2..16 upper-case ASCII letters ("IPD").
core::Checked<std::string> parse_department(const Args& args, std::string_view name);

std::string normalised_name(std::string_view value);  // lower case, '-' as '_'
std::string in_words(std::string_view snake_name);    // "bad_faith" -> "bad faith"

// The index i in [0, count) with name_at(i) == the value of --<name>
// (normalised_name); the error lists every name.
template <class F>
core::Checked<std::size_t> parse_name_index(const Args& args, std::string_view name,
                                            std::size_t count, F name_at) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  const std::string wanted = normalised_name(*v);
  std::string allowed;
  for (std::size_t i = 0; i < count; ++i) {
    if (name_at(i) == wanted) return i;
    allowed += (i == 0 ? "" : ", ") + std::string(name_at(i));
  }
  return arg_error(name, core::Reject::kOutOfRange, "one of " + allowed, *v);
}

// An enumeration by its snake_case name (name_of(E) for each value 0..last;
// "-" may stand for "_"). The error lists every allowed name.
template <class E>
core::Checked<E> parse_enum(const Args& args, std::string_view name, E last,
                            std::string_view (*name_of)(E)) {
  std::vector<std::pair<std::string_view, E>> names;
  for (unsigned v = 0; v <= static_cast<unsigned>(last); ++v) {
    const E e = static_cast<E>(v);
    names.emplace_back(name_of(e), e);
  }
  auto index =
      parse_name_index(args, name, names.size(), [&](std::size_t i) { return names[i].first; });
  if (!index) return std::move(index).error();
  return names[*index].second;
}

// ---- Collecting errors ----------------------------------------------------------------
// Keeps the first rejection of a build function's parses, so each field is one
// line: after a failure take() returns a default value and build() checks
// failed() once before it uses the fields.
class Take {
 public:
  template <class T>
  T operator()(core::Checked<T> c) {
    if (c) return std::move(c).value();
    if (!first_) first_ = std::move(c).error();
    return T{};
  }
  // A rule check of a module (e.g. check_number): fails with `r` unless ok.
  void check(std::optional<core::Rejection> r) {
    if (r && !first_) first_ = std::move(*r);
  }
  bool failed() const noexcept { return first_.has_value(); }
  core::Rejection error() const { return *first_; }

 private:
  std::optional<core::Rejection> first_;
};

}  // namespace bauhinia::wallet::calls

#pragma once
// The public registers the explorer reads from the modules' records: for
// search (register numbers, names in English and Chinese) and open data
// exports (docs/explorer.md, "Open data"). A sweep pages through a module's
// by-status lists (/v1/query/<module>/by_status/<status>[/page]), verifies
// every answer and record with the light client, brings every record to one
// certified height (re-reading with /v1/state/...?height=H those read at
// another), decodes them with the module's own record types and stores the
// snapshot, stamped with that height, its block id and state root. A module
// without such lists (drugs: recalls) is read by the query paths of its
// indexed transactions (each successful drugs.recall names its batch).

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bauhinia/explorer/follower.hpp"
#include "bauhinia/explorer/index.hpp"

namespace bauhinia::explorer {

inline constexpr std::size_t kMaxRegisterRecords = 200'000;
inline constexpr std::size_t kMaxListPages = 10'000;

// "trademarks", "companies", "drug-recalls", "eia", "trip-tickets".
std::vector<std::string> register_names();
// The module a register reads ("trademark" for "trademarks"), or empty.
std::string register_module(const std::string& name);

// The registers counted from indexed transactions rather than read (their
// modules keep no list of all records): "drug-batches" (successful
// drugs.create_batch), "health-attestations" (successful health.issue).
struct CountedRegister {
  std::string name;
  std::string module;
  std::string call;
};
const std::vector<CountedRegister>& counted_registers();

class Registers {
 public:
  using Log = std::function<void(const std::string&)>;
  Registers(Follower& follower, Index& index, Log log);

  // Sweeps the registers of `modules` (every register when `all`). A node
  // whose answer fails verification is refused; the next one is asked.
  void sweep(const std::set<std::string>& modules, bool all = false);

 private:
  Follower& follower_;
  Index& index_;
  Log log_;
};

// Exports of a stored snapshot (its JSON as put by a sweep).
std::string export_csv(const json& snapshot);
std::string export_xml(const json& snapshot);
json export_json(const json& snapshot);

}  // namespace bauhinia::explorer

#pragma once
// Internal: a record of a node's query answer (/v1/query/...), checked: its
// certified header against the session's validator sets, and its state proof
// (of its value or its absence) against that header's state root.

#include <cstdint>
#include <nlohmann/json.hpp>

#include "bauhinia/lightclient/session.hpp"

namespace bauhinia::explorer {

// The record's height once proven.
lightclient::Step<std::uint64_t> verify_record(lightclient::Session& s, const nlohmann::json& obj);

// The answer and each of its `records`, proven; returns the answer's height.
lightclient::Step<std::uint64_t> verify_query_answer(lightclient::Session& s,
                                                     const nlohmann::json& answer);

}  // namespace bauhinia::explorer

// verify history: every change the node lists for a record, proven step by
// step with the record's state proofs (see verifier.hpp for what is proven).

#include "checks.hpp"

namespace bauhinia::lightclient {

namespace {

struct Change {
  std::uint64_t height = 0;
  std::optional<core::Hash256> value_hash;  // nullopt: deleted
};

// Every page of GET .../history, checked for order and form.
Step<std::vector<Change>> listed_changes(Session& s, const std::string& name) {
  std::vector<Change> out;
  std::uint64_t from = 0;
  for (;;) {
    const std::string target = "/v1/state/" + name + "/history?from=" + std::to_string(from);
    auto answer = s.get(target);
    if (!answer) return std::move(answer).error();
    auto versions = answer->find("versions");
    if (versions == answer->end() || !versions->is_array()) {
      return malformed(target + ": versions is not an array");
    }
    for (const json& v : *versions) {
      if (!v.is_object()) return malformed(target + ": a version is not an object");
      auto height = u64_field(v, "version");
      if (!height) return std::move(height).error();
      Change c{*height, std::nullopt};
      auto hash = v.find("value_hash");
      auto deleted = v.find("deleted");
      if (hash == v.end() || deleted == v.end() || !deleted->is_boolean()) {
        return malformed(target + ": a version lacks value_hash or deleted");
      }
      if (!hash->is_null()) {
        if (!hash->is_string()) return malformed(target + ": value_hash is not a string");
        auto h = core::Hash256::from_hex(hash->get<std::string>());
        if (!h) return malformed(target + ": value_hash: " + h.error().detail);
        c.value_hash = *h;
      }
      if (deleted->get<bool>() == c.value_hash.has_value()) {
        return inconsistent("its history of " + name + " at height " + std::to_string(c.height) +
                            " is both a deletion and a value, or neither");
      }
      if (c.height < from || (!out.empty() && c.height <= out.back().height)) {
        return inconsistent("its history of " + name +
                            " does not list heights in increasing order from " +
                            std::to_string(from));
      }
      if (out.size() >= kMaxHistorySteps) {
        return Failure{Failure::Kind::kTooMuch, "the history of " + name + " has more than " +
                                                    std::to_string(kMaxHistorySteps) +
                                                    " changes to verify"};
      }
      out.push_back(c);
    }
    auto next = answer->find("next_from");
    if (next == answer->end() || next->is_null()) return out;
    if (!next->is_number_unsigned() || next->get<std::uint64_t>() <= from || versions->empty()) {
      return inconsistent("its history of " + name + " does not advance from height " +
                          std::to_string(from));
    }
    from = next->get<std::uint64_t>();
  }
}

// The value the history says the record held at `height` (nullopt: absent).
std::optional<core::Hash256> claimed_at(const std::vector<Change>& changes, std::uint64_t height) {
  std::optional<core::Hash256> value;
  for (const Change& c : changes) {
    if (c.height > height) break;
    value = c.value_hash;
  }
  return value;
}

}  // namespace

Step<Proven> check_history(Session& s, const Request& r) {
  auto key = core::from_hex(r.record_key_hex);
  if (!key) return malformed("record key: " + key.error().detail);  // validated before
  const std::string name = r.module + "/" + r.record_key_hex;
  auto changes = listed_changes(s, name);
  if (!changes) return std::move(changes).error();
  // The latest certified header, asked after the history so that it covers it.
  auto latest = s.latest();
  if (!latest) return std::move(latest).error();
  const std::uint64_t top = latest->header.height;
  if (!changes->empty() && changes->back().height > top) {
    return inconsistent("its history of " + name + " lists a change at height " +
                        std::to_string(changes->back().height) +
                        ", above its latest certified height " + std::to_string(top));
  }

  // Proves the record holds what the history claims at `height`; `why` says
  // which claim the height checks when it fails.
  auto prove_at = [&](std::uint64_t height, const std::string& why) -> Step<ProvenRecord> {
    auto record = s.record_at(r.module, *key, height);
    if (!record) return std::move(record).error();
    const auto claimed = claimed_at(*changes, height);
    if (record->value_hash() != claimed) {
      return inconsistent("its history of " + name + " " + why + ": at height " +
                          std::to_string(height) + " the record is proven " + record->describe() +
                          ", the history says " + describe_value_hash(claimed));
    }
    return record;
  };

  Proven out;
  out.against = *latest;
  for (std::size_t i = 0; i < changes->size(); ++i) {
    const Change& c = (*changes)[i];
    auto now = prove_at(c.height, "is wrong");
    if (!now) return std::move(now).error();
    std::string line = "height " + std::to_string(c.height) + ": " +
                       (c.value_hash ? "set to " + now->describe() : std::string("deleted"));
    if (c.height > 0) {
      auto before = prove_at(c.height - 1,
                             i == 0 ? "omits an earlier change (the record existed "
                                      "before its first listed change)"
                                    : "omits a change before height " + std::to_string(c.height));
      if (!before) return std::move(before).error();
      line += "; proven " + before->describe() + " at height " + std::to_string(c.height - 1);
    } else {
      line += " (genesis)";
    }
    out.details.push_back(line);
  }
  const std::string after =
      changes->empty() ? std::string("omits a change")
                       : "omits a change after height " + std::to_string(changes->back().height);
  auto last = prove_at(top, after);
  if (!last) return std::move(last).error();
  out.details.push_back("height " + std::to_string(top) + " (latest certified): proven " +
                        last->describe());

  std::uint64_t first_checked = top;
  if (r.every_height) {
    first_checked =
        changes->empty() || changes->front().height == 0 ? 0 : changes->front().height - 1;
    if (top - first_checked > kMaxEveryHeightSpan) {
      return Failure{Failure::Kind::kTooMuch,
                     "--every-height would check " + std::to_string(top - first_checked + 1) +
                         " heights, more than " + std::to_string(kMaxEveryHeightSpan)};
    }
    for (std::uint64_t h = first_checked; h <= top; ++h) {
      auto at = prove_at(h, "omits a change at or before height " + std::to_string(h));
      if (!at) return std::move(at).error();
    }
  }

  std::string heights;
  for (const Change& c : *changes)
    heights += (heights.empty() ? "" : ", ") + std::to_string(c.height);
  if (changes->empty()) {
    out.summary = "Proven: record " + name + " has no history: it does not exist under the " +
                  "state root certified at " + latest->describe() + ".";
  } else {
    out.summary = "Proven: record " + name + " changed at heights " + heights +
                  " to the listed values, each proven, and holds the last of them at " +
                  latest->describe() + ".";
  }
  if (r.every_height) {
    out.details.push_back(
        "every height from " + std::to_string(first_checked) + " to " + std::to_string(top) +
        " proven: the record's value at each of them is the one its history gives");
  } else if (!changes->empty()) {
    out.details.push_back(
        "not proven: that the record did not change and change back between two listed "
        "changes (the API has no per-block list of written records); --every-height proves "
        "each height");
  }
  return out;
}

}  // namespace bauhinia::lightclient

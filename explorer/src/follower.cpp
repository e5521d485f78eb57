#include "bauhinia/explorer/follower.hpp"

#include <algorithm>
#include <utility>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/lightclient/session.hpp"
#include "failures.hpp"
#include "json_shapes.hpp"

namespace bauhinia::explorer {

namespace {

using lightclient::Failure;
using lightclient::forged;
using lightclient::inconsistent;
using lightclient::malformed;
using lightclient::Session;
using lightclient::Step;

// Bounds on what one block can make the explorer fetch.
constexpr std::uint64_t kMaxBlockTransactions = 100'000;
constexpr std::uint64_t kLeavesPage = 1000;

// The account's transactions are keyed by the account id.
core::Hash256 account_key(const core::AccountId& a) {
  auto h = core::Hash256::from_hex(a.to_hex());
  return h ? *h : core::Hash256{};
}

struct Leaf {
  core::Bytes bytes;
  chain::TransactionInfo info;
};

Step<std::vector<Leaf>> leaves_of(Session& s, std::uint64_t first, std::uint64_t count) {
  std::vector<Leaf> out;
  while (out.size() < count) {
    const std::uint64_t from = first + out.size();
    const std::uint64_t want = std::min<std::uint64_t>(kLeavesPage, count - out.size());
    const std::string target =
        "/v1/accumulator/leaves?from=" + std::to_string(from) + "&count=" + std::to_string(want);
    auto answer = s.get(target);
    if (!answer) return std::move(answer).error();
    auto leaves = answer->find("leaves");
    if (leaves == answer->end() || !leaves->is_array() || leaves->empty() ||
        leaves->size() > want) {
      return malformed(target + ": leaves is not an array of 1.." + std::to_string(want));
    }
    for (const json& leaf : *leaves) {
      if (!leaf.is_object()) return malformed(target + ": a leaf is not an object");
      auto bytes = lightclient::hex_field(leaf, "leaf_hex", 1024);
      if (!bytes) return std::move(bytes).error();
      auto info = core::decode<chain::TransactionInfo>(*bytes);
      if (!info) return forged("accumulator leaf " + std::to_string(from) + " does not decode");
      const std::uint64_t expected = first + out.size();
      if (info->version != expected) {
        return inconsistent("it served the leaf of version " + std::to_string(info->version) +
                            " as accumulator leaf " + std::to_string(expected));
      }
      out.push_back(Leaf{std::move(*bytes), *info});
    }
  }
  return out;
}

// Verifies block `height` (above `previous`, with `frontier` the accumulator
// after it) and builds its index entry.
Step<BlockEntry> verify_block(Session& s, std::uint64_t height, const std::optional<json>& previous,
                              Frontier frontier) {
  auto answer = s.get("/v1/blocks/" + std::to_string(height));
  if (!answer) return std::move(answer).error();
  auto proven = s.check_certified(*answer, height);
  if (!proven) return std::move(proven).error();
  const chain::BlockHeader& header = proven->header;
  const std::string where = "block " + std::to_string(height);
  if (height > 0) {
    if (!previous) return inconsistent(where + ": the block below it is not indexed");
    if (header.parent_hash.to_hex() != previous->value("block_id", "")) {
      return inconsistent(where + " names parent " + header.parent_hash.to_hex() +
                          ", but the verified block " + std::to_string(height - 1) + " is " +
                          previous->value("block_id", ""));
    }
  }
  auto first = lightclient::u64_field(*answer, "first_index");
  if (!first) return std::move(first).error();
  auto count = lightclient::u64_field(*answer, "transaction_count");
  if (!count) return std::move(count).error();
  if (*count > kMaxBlockTransactions) return forged(where + " claims too many transactions");
  if (*first != frontier.size || *first + *count != header.accumulator_size) {
    return inconsistent(where + " claims transactions " + std::to_string(*first) + ".." +
                        std::to_string(*first + *count) + ", but its certified accumulator holds " +
                        std::to_string(header.accumulator_size) + " after " +
                        std::to_string(frontier.size));
  }
  auto leaves = leaves_of(s, *first, *count);
  if (!leaves) return std::move(leaves).error();
  std::vector<core::Hash256> ids;
  for (const Leaf& leaf : *leaves) {
    frontier.append(chain::merkle::leaf_hash(leaf.bytes));
    ids.push_back(leaf.info.transaction_id);
  }
  if (frontier.size != header.accumulator_size || frontier.root() != header.accumulator_root) {
    return forged("the accumulator leaves it served for " + where +
                  " do not give the certified accumulator root");
  }
  if (chain::transactions_root_of(ids) != header.transactions_root) {
    return forged("the transaction ids of " + where +
                  " do not give its certified transactions root");
  }

  BlockEntry entry;
  entry.height = height;
  entry.frontier = frontier;
  entry.block = shapes::block(header, *proven, *answer);
  json summaries = json::array();
  for (const Leaf& leaf : *leaves) {
    const std::string id = leaf.info.transaction_id.to_hex();
    auto tx_answer = s.get("/v1/transactions/" + id);
    if (!tx_answer) return std::move(tx_answer).error();
    auto bytes = lightclient::hex_field(*tx_answer, "transaction_hex", chain::kMaxTransactionSize);
    if (!bytes) return std::move(bytes).error();
    if (core::tagged_hash(core::HashTag::kTransactionId, *bytes) != leaf.info.transaction_id) {
      return forged("the bytes it served for transaction " + id + " do not hash to its id");
    }
    auto tx = chain::decode_transaction(*bytes);
    if (!tx) return forged("transaction " + id + " does not decode: " + tx.error().to_string());
    json t = shapes::transaction(*tx, leaf.info, *bytes, leaf.bytes, header);
    t["sender_key"] = account_key(tx->sender).to_hex();
    summaries.push_back(shapes::transaction_summary(t));
    entry.transactions.push_back(std::move(t));
  }
  entry.block["transactions"] = std::move(summaries);
  return entry;
}

}  // namespace

struct Follower::Node {
  UsableNode usable;
  NodeReport report;
};

Follower::Follower(const lightclient::Trust& trust, Index& index, std::vector<UsableNode> nodes,
                   Log log)
    : trust_(trust), index_(index), log_(std::move(log)) {
  for (auto& n : nodes) {
    auto node = std::make_unique<Node>();
    node->report.url = n.url;
    node->usable = std::move(n);
    nodes_.push_back(std::move(node));
  }
}

Follower::~Follower() = default;

void Follower::log(const std::string& line) const {
  if (log_) log_(line);
}

void Follower::refuse(const std::string& url, const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    for (auto& n : nodes_) {
      if (n->report.url == url && n->report.state != "refused") {
        n->report.state = "refused";
        n->report.reason = reason;
      }
    }
  }
  log("refused node " + url + ": it " + reason);
}

std::vector<NodeReport> Follower::nodes() const {
  std::lock_guard lock(mutex_);
  std::vector<NodeReport> out;
  for (const auto& n : nodes_) out.push_back(n->report);
  return out;
}

std::vector<UsableNode> Follower::usable() const {
  std::lock_guard lock(mutex_);
  std::vector<UsableNode> first;
  std::vector<UsableNode> later;
  for (const auto& n : nodes_) {
    if (n->report.state == "refused") continue;
    (n->report.state == "following" ? first : later).push_back(n->usable);
  }
  first.insert(first.end(), later.begin(), later.end());
  return first;
}

std::optional<json> Follower::validator_set() const {
  std::lock_guard lock(mutex_);
  return validator_set_;
}

std::set<std::string> Follower::take_changed_modules() {
  std::lock_guard lock(mutex_);
  return std::exchange(changed_modules_, {});
}

std::size_t Follower::step(std::size_t max_blocks) {
  std::lock_guard round(step_mutex_);
  for (auto& node : nodes_) {
    {
      std::lock_guard lock(mutex_);
      if (node->report.state == "refused") continue;
    }
    const std::string url = node->usable.url;
    std::size_t indexed = 0;
    auto followed = [&]() -> Step<bool> {
      Session s(trust_, node->usable.fetch);
      if (auto e = s.follow_epochs(); !e) {
        if (auto other = s.probe_other_chain()) return std::move(*other);
        return std::move(e).error();
      }
      auto info = s.get("/v1/ledger-info");
      if (!info) return std::move(info).error();
      if (auto claims = s.check_chain_claims(*info); !claims) return std::move(claims).error();
      auto certified = info->find("certified");
      if (certified == info->end() || !certified->is_object()) {
        return malformed("/v1/ledger-info: certified is not an object");
      }
      auto height = lightclient::u64_field(*certified, "height");
      if (!height) return std::move(height).error();
      auto latest = s.check_certified(*certified, *height);
      if (!latest) return std::move(latest).error();
      {
        std::lock_guard lock(mutex_);
        node->report.state = "following";
        node->report.height = *height;
        node->report.reason.clear();
        validator_set_ = shapes::validator_set_with_hex(s.current_set());
      }
      auto stored = index_.certified();
      if (!stored || stored->value("height", std::uint64_t{0}) < *height) {
        if (auto w = index_.put_certified(shapes::checkpoint(*latest, *certified)); !w) {
          log("index: " + w.error().message());
        }
      }
      const auto mark = index_.indexed_height();
      std::uint64_t next = mark ? *mark + 1 : 0;
      std::optional<json> previous;
      if (mark) previous = index_.block(*mark);
      Frontier frontier = index_.frontier();
      for (; next <= *height && indexed < max_blocks; ++next) {
        auto entry = verify_block(s, next, previous, frontier);
        if (!entry) return std::move(entry).error();
        if (auto w = index_.put_block(*entry); !w) {
          log("index: " + w.error().message());
          return true;  // the explorer's own failure: retried next round
        }
        {
          std::lock_guard lock(mutex_);
          for (const json& t : entry->transactions) changed_modules_.insert(t.value("module", ""));
        }
        previous = std::move(entry->block);
        frontier = std::move(entry->frontier);
        ++indexed;
      }
      return true;
    }();
    if (followed) return indexed;
    const Failure& f = followed.error();
    if (node_at_fault(f)) {
      refuse(url, describe(f));
    } else {
      {
        std::lock_guard lock(mutex_);
        node->report.state = "unreachable";
        node->report.reason = f.reason;
      }
      log("node " + url + " did not answer: " + f.reason);
    }
    if (indexed > 0) return indexed;
  }
  return 0;
}

}  // namespace bauhinia::explorer

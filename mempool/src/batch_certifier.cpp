#include "bauhinia/mempool/batch_certifier.hpp"

#include <algorithm>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::mempool {

BatchCertifier::BatchCertifier(BatchCertifierConfig config) : config_(std::move(config)) {}

std::vector<GossipBatch> BatchCertifier::set_epoch(std::uint64_t epoch,
                                                   chain::ValidatorSet validators,
                                                   const core::ed25519::PublicKey& self) {
  std::vector<GossipBatch> released;
  for (auto& [key, w] : waiting_) released.push_back(std::move(w.batch));
  waiting_.clear();
  deadlines_.clear();
  waiting_transactions_ = 0;
  early_.clear();
  early_order_.clear();

  epoch_ = epoch;
  validators_ = std::move(validators);
  power_.clear();
  for (const auto& v : validators_.validators) power_[v.key] += v.voting_power;
  const std::uint64_t total = validators_.total_power();
  certifying_power_ = total == 0 ? 0 : total - validators_.quorum_power() + 1;
  self_ = self;
  self_power_ = power_of(self);
  return released;
}

std::uint64_t BatchCertifier::power_of(const core::ed25519::PublicKey& key) const {
  const auto it = power_.find(key);
  return it == power_.end() ? 0 : it->second;
}

std::vector<core::ed25519::PublicKey> BatchCertifier::verifiers(
    const core::ed25519::PublicKey& author, const core::Hash256& digest) const {
  std::vector<core::ed25519::PublicKey> out;
  std::uint64_t power = power_of(author);
  if (power > 0) out.push_back(author);
  // The others, in the order of SHA-256(digest || key): a different,
  // unpredictable pair for each batch, the same at every node.
  std::vector<std::pair<core::Hash256, core::ed25519::PublicKey>> ranked;
  for (const auto& [key, p] : power_) {
    if (key == author) continue;
    core::Bytes buf(digest.view().begin(), digest.view().end());
    buf.insert(buf.end(), key.bytes.begin(), key.bytes.end());
    ranked.emplace_back(core::sha256(buf), key);
  }
  std::sort(ranked.begin(), ranked.end());
  for (const auto& [rank, key] : ranked) {
    if (power >= certifying_power_) break;
    out.push_back(key);
    power += power_of(key);
  }
  return out;
}

bool BatchCertifier::count(Waiting& w, const core::ed25519::PublicKey& signer) {
  if (!w.signers.insert(signer).second) return false;
  w.power += power_of(signer);
  return w.power >= certifying_power_;
}

BatchCertifier::Arrival BatchCertifier::on_batch(GossipBatch batch, std::uint64_t now_ms,
                                                 const Reachable& reachable) {
  auto verify_here = [&](Route route) {
    ++(route == Route::kVerifyAndAck ? stats_.verified_and_acked : stats_.verified);
    return Arrival{route, std::move(batch)};
  };
  if (certifying_power_ == 0 || batch.transactions.empty()) return verify_here(Route::kVerify);
  const auto who = verifiers(batch.author, batch.digest);
  if (std::find(who.begin(), who.end(), self_) != who.end()) {
    return verify_here(Route::kVerifyAndAck);
  }
  if (reachable && std::any_of(who.begin(), who.end(), [&](const core::ed25519::PublicKey& v) {
        return v != batch.author && !reachable(v);
      })) {
    return verify_here(Route::kVerify);  // its acknowledgement cannot come
  }
  Key key{batch.author, batch.digest};
  if (waiting_.count(key) != 0)
    return verify_here(Route::kVerify);  // a repeat: duplicates are cheap
  if (waiting_.size() >= config_.max_waiting_batches ||
      waiting_transactions_ + batch.transactions.size() > config_.max_waiting_transactions) {
    return verify_here(Route::kVerify);
  }
  Waiting w;
  w.deadline = now_ms + config_.wait_ms;
  bool certified = false;
  if (auto it = early_.find(key); it != early_.end()) {
    for (const auto& ack : it->second) {
      if (ack.count == batch.transactions.size()) certified = count(w, ack.signer) || certified;
    }
    early_.erase(it);  // their entries in early_order_ are skipped when they age out
  }
  if (certified) {
    ++stats_.certified;
    return Arrival{Route::kCertified, std::move(batch)};
  }
  waiting_transactions_ += batch.transactions.size();
  w.batch = std::move(batch);
  deadlines_.emplace_back(w.deadline, key);
  waiting_.emplace(std::move(key), std::move(w));
  return Arrival{Route::kWaiting, {}};
}

BatchCertifier::AckResult BatchCertifier::on_ack(const core::ed25519::PublicKey& from,
                                                 const BatchAck& ack) {
  auto ignored = [&](std::string why) {
    ++stats_.acks_ignored;
    return AckResult{AckOutcome::kIgnored, std::move(why), std::nullopt};
  };
  auto invalid = [&](std::string why) {
    ++stats_.acks_invalid;
    return AckResult{AckOutcome::kInvalid, std::move(why), std::nullopt};
  };
  if (ack.epoch != epoch_ || certifying_power_ == 0) {
    return ignored("acknowledgement for epoch " + std::to_string(ack.epoch) + ", this node is in " +
                   std::to_string(epoch_));
  }
  if (ack.signer != from) return invalid("acknowledgement signed by another key than its sender's");
  if (power_of(ack.signer) == 0)
    return invalid("acknowledgement from a key that is not a validator");
  if (!batch_ack_signature_valid(config_.chain_id, ack)) {
    return invalid("acknowledgement whose signature does not verify");
  }
  Key key{ack.author, ack.digest};
  if (auto it = waiting_.find(key); it != waiting_.end()) {
    Waiting& w = it->second;
    if (ack.count != w.batch.transactions.size()) {
      return invalid("acknowledgement of " + std::to_string(ack.count) +
                     " transactions for a batch of " + std::to_string(w.batch.transactions.size()));
    }
    if (w.signers.count(ack.signer) != 0) return ignored("a repeated acknowledgement");
    ++stats_.acks_counted;
    if (!count(w, ack.signer)) return AckResult{AckOutcome::kCounted, {}, std::nullopt};
    GossipBatch batch = std::move(w.batch);
    waiting_transactions_ -= batch.transactions.size();
    waiting_.erase(it);
    ++stats_.certified;
    return AckResult{AckOutcome::kCertified, {}, std::move(batch)};
  }
  // Its batch has not arrived (or left already): keep it, within the signer's bound.
  auto& acks = early_[key];
  if (std::any_of(acks.begin(), acks.end(),
                  [&](const BatchAck& a) { return a.signer == ack.signer; })) {
    return ignored("a repeated acknowledgement");
  }
  acks.push_back(ack);
  auto& order = early_order_[ack.signer];
  order.push_back(key);
  while (order.size() > config_.max_early_acks_per_signer) {
    if (auto old = early_.find(order.front()); old != early_.end()) {
      auto& v = old->second;
      v.erase(std::remove_if(v.begin(), v.end(),
                             [&](const BatchAck& a) { return a.signer == ack.signer; }),
              v.end());
      if (v.empty()) early_.erase(old);
    }
    order.pop_front();
  }
  ++stats_.acks_early;
  return AckResult{AckOutcome::kEarly, {}, std::nullopt};
}

std::vector<GossipBatch> BatchCertifier::expire(std::uint64_t now_ms) {
  std::vector<GossipBatch> out;
  while (!deadlines_.empty()) {
    const auto& [deadline, key] = deadlines_.front();
    auto it = waiting_.find(key);
    if (it == waiting_.end() || it->second.deadline != deadline) {  // certified meanwhile
      deadlines_.pop_front();
      continue;
    }
    if (deadline > now_ms) break;
    waiting_transactions_ -= it->second.batch.transactions.size();
    out.push_back(std::move(it->second.batch));
    waiting_.erase(it);
    deadlines_.pop_front();
    ++stats_.waited_out;
  }
  return out;
}

std::optional<std::uint64_t> BatchCertifier::next_deadline() const {
  for (const auto& [deadline, key] : deadlines_) {
    auto it = waiting_.find(key);
    if (it != waiting_.end() && it->second.deadline == deadline) return deadline;
  }
  return std::nullopt;
}

}  // namespace bauhinia::mempool

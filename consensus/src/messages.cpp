#include "bauhinia/consensus/messages.hpp"

#include <type_traits>

namespace bauhinia::consensus {

using core::reject;
using core::Reject;

ProposalSigningData Proposal::signing_data(const std::string& chain_id) const {
  return ProposalSigningData{chain_id, header.epoch, header.round, header.id(),
                             core::sha256(payload)};
}

TimeoutSigningData TimeoutMessage::signing_data(const std::string& chain_id) const {
  return TimeoutSigningData{chain_id, epoch, round, high_qc.round()};
}

core::Verdict Proposal::validate() const {
  if (core::Verdict v = header.validate(); !v) return v;
  if (core::Verdict v = qc.validate(); !v) return v;
  if (tc) return tc->validate();
  return core::Verdict::accept();
}

core::Verdict Vote::validate() const {
  if (core::Verdict v = vote_data.validate(); !v) return v;
  return ledger_info.validate();
}

core::Verdict TimeoutMessage::validate() const {
  if (core::Verdict v = high_qc.validate(); !v) return v;
  if (last_tc) return last_tc->validate();
  return core::Verdict::accept();
}

core::Verdict SyncResponse::validate() const {
  for (const SyncBlock& b : blocks) {
    if (core::Verdict v = b.header.validate(); !v) return v;
    if (core::Verdict v = b.qc.validate(); !v) return v;
  }
  if (commit_cert) return commit_cert->validate();
  return core::Verdict::accept();
}

namespace {

template <class T>
void encode_body(core::Writer& w, const T& m) {
  core::encode_into(w, m);
}

template <class T>
core::Checked<Message> decode_body(core::ByteView body) {
  auto decoded = core::decode<T>(body);
  if (!decoded) return std::move(decoded).error();
  return Message{std::move(decoded).value()};
}

}  // namespace

core::Bytes encode_message(const Message& message) {
  core::Writer w;
  w.u8(kMessageVersion);
  w.u8(static_cast<std::uint8_t>(message.index()));
  std::visit([&](const auto& m) { encode_body(w, m); }, message);
  return std::move(w).take();
}

core::Checked<Message> decode_message(core::ByteView bytes) {
  if (bytes.size() > kMaxMessageBytes) {
    return reject(Reject::kTooLarge,
                  "consensus message of " + std::to_string(bytes.size()) + " bytes");
  }
  if (bytes.size() < 2) return reject(Reject::kTruncated, "consensus message header");
  if (bytes[0] != kMessageVersion) {
    return reject(Reject::kBadVersion, "consensus message version " + std::to_string(bytes[0]));
  }
  const core::ByteView body = bytes.subspan(2);
  switch (bytes[1]) {
    case 0: return decode_body<Proposal>(body);
    case 1: return decode_body<Vote>(body);
    case 2: return decode_body<TimeoutMessage>(body);
    case 3: return decode_body<SyncRequest>(body);
    case 4: return decode_body<SyncResponse>(body);
    default: break;
  }
  return reject(Reject::kOutOfRange, "consensus message tag " + std::to_string(bytes[1]));
}

const char* message_name(const Message& message) {
  static constexpr const char* kNames[] = {"proposal", "vote", "timeout", "sync-request",
                                           "sync-response"};
  static_assert(std::size(kNames) == std::variant_size_v<Message>);
  return kNames[message.index()];
}

}  // namespace bauhinia::consensus

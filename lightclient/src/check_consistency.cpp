// verify consistency: the accumulator certified at one height is a prefix of
// the one certified at a later height.

#include "bauhinia/chain/merkle.hpp"
#include "checks.hpp"

namespace bauhinia::lightclient {

Step<Proven> check_consistency(Session& s, const Request& r) {
  auto latest = s.latest();
  if (!latest) return std::move(latest).error();
  const std::uint64_t to = r.to.value_or(latest->header.height);
  if (r.from > to) {
    return Failure{Failure::Kind::kRefused, "height " + std::to_string(r.from) +
                                                " is above the latest certified height " +
                                                std::to_string(to)};
  }
  auto older = s.header_at(r.from);
  if (!older) return std::move(older).error();
  auto newer = s.header_at(to);
  if (!newer) return std::move(newer).error();
  const std::uint64_t a = older->header.accumulator_size;
  const std::uint64_t b = newer->header.accumulator_size;
  Proven out;
  out.against = *newer;
  const std::string sizes = " (" + std::to_string(b) +
                            " transactions) extends the one certified at " + older->describe() +
                            " (" + std::to_string(a) + " transactions)";
  if (a > b) {
    return inconsistent("the accumulator certified at height " + std::to_string(to) + " holds " +
                        std::to_string(b) + " transactions, fewer than the " + std::to_string(a) +
                        " certified at height " + std::to_string(r.from));
  }
  if (a == 0) {
    out.summary = "Proven: the accumulator certified at " + newer->describe() + sizes +
                  ": the empty accumulator is a prefix of every accumulator.";
    return out;
  }
  auto answer =
      s.get("/v1/proofs/consistency?from=" + std::to_string(a) + "&to=" + std::to_string(b));
  if (!answer) return std::move(answer).error();
  auto proof =
      decode_field<chain::ConsistencyProof>(*answer, "proof_hex", 4096, "ConsistencyProof");
  if (!proof) return std::move(proof).error();
  if (proof->first != a || proof->second != b) {
    return inconsistent("it served a consistency proof between sizes " +
                        std::to_string(proof->first) + " and " + std::to_string(proof->second) +
                        " for sizes " + std::to_string(a) + " and " + std::to_string(b));
  }
  if (auto v = chain::verify_consistency(*proof, older->header.accumulator_root,
                                         newer->header.accumulator_root);
      !v) {
    return forged("the consistency proof between accumulator sizes " + std::to_string(a) + " and " +
                  std::to_string(b) + " does not verify: " + v.rejection().to_string());
  }
  out.summary = "Proven: the accumulator certified at " + newer->describe() + sizes +
                ": the ledger rewrote none of the first " + std::to_string(a) + " transactions.";
  return out;
}

}  // namespace bauhinia::lightclient

#include "bauhinia/explorer/cosigners.hpp"

#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::explorer {

namespace {

template <class Payload>
nlohmann::json listed(core::ByteView payload) {
  auto decoded = core::decode<Payload>(payload);
  nlohmann::json out = nlohmann::json::array();
  if (!decoded) return out;
  for (const auto& c : decoded->cosignatures) {
    out.push_back(nlohmann::json{{"account", c.signer.to_hex()}, {"key", c.key.to_hex()}});
  }
  return out;
}

}  // namespace

nlohmann::json cosigners_of(std::string_view module, std::string_view call,
                            core::ByteView payload) {
  namespace tm = contracts::trademark;
  if (module == "trademark") {
    if (call == "assign") return listed<tm::AssignPayload>(payload);
    if (call == "record_licence") return listed<tm::LicencePayload>(payload);
    if (call == "record_security_interest") return listed<tm::SecurityPayload>(payload);
  } else if (module == "drugs") {
    if (call == "transfer" || call == "return_recalled") {
      return listed<contracts::drugs::TransferPayload>(payload);
    }
  } else if (module == "environment") {
    if (call == "transfer_permit") return listed<contracts::environment::TransferPayload>(payload);
  }
  return nlohmann::json::array();
}

}  // namespace bauhinia::explorer

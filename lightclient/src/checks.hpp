#pragma once
// Internal to the verifier: the four verifications over a Session (each after
// follow_epochs). A success says in plain words what was proven.

#include <string>
#include <vector>

#include "bauhinia/lightclient/session.hpp"
#include "bauhinia/lightclient/verifier.hpp"

namespace bauhinia::lightclient {

struct Proven {
  std::string summary;
  std::vector<std::string> details;
  ProvenHeader against;  // the certified header the main proof is checked against
};

Step<Proven> check_transaction(Session& s, const Request& r);
Step<Proven> check_record(Session& s, const Request& r);
Step<Proven> check_history(Session& s, const Request& r);
Step<Proven> check_consistency(Session& s, const Request& r);

}  // namespace bauhinia::lightclient
